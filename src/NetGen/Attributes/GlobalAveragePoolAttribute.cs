namespace NetGen;

/// <summary>
/// Declares the mean over every position: an image [channels, height, width] becomes [channels], a sequence
/// [steps, features] becomes [features]. No parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAveragePoolAttribute : Attribute
{
}
