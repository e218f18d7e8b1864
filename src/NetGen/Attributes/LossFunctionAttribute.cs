namespace NetGen;

/// <summary>
/// Marks the static method that computes a network's own loss (with <c>[Network(Loss = Loss.Custom)]</c>). Its
/// signature must be <c>static float Name(ReadOnlySpan&lt;float&gt; prediction, ReadOnlySpan&lt;float&gt; target, Span&lt;float&gt; gradient)</c>:
/// it returns the loss of one sample and writes dL/dprediction[k] into <c>gradient[k]</c>; the generated backward pass
/// takes it from there through the output activation.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LossFunctionAttribute : Attribute
{
}
