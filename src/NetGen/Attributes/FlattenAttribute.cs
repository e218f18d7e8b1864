namespace NetGen;

/// <summary>
/// Declares a layer that reads an image or a sequence as one vector, in row-major order (the order of
/// <c>torch.flatten</c> on an NCHW tensor), so that a <see cref="DenseAttribute"/> layer's weights move between NetGen
/// and PyTorch unchanged. A dense layer after an image or a sequence needs it. No parameters, and no arithmetic.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : Attribute
{
}
