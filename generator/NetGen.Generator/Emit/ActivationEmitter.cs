using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// The float math the kernels call, in the kernels class: the scalar functions, and where the network needs them the
/// vector e^x, the vectorized tanh and sigmoid over a span, and softmax.
/// </summary>
internal static class ActivationEmitter
{
    private static void EmitVectorizedActivation(IndentedWriter writer, Activation activation)
    {
        string name = activation.ToString();
        writer.WriteLine();
        writer.WriteLine("/// <summary>");
        if (activation == Activation.Tanh)
        {
            writer.WriteLine("/// a[i] = tanh(z[i]) for every i (a may be z), as many lanes at a time as the hardware has: tanh z = sign(z) (1 - e^(-2|z|)) / (1 + e^(-2|z|)),");
            writer.WriteLine("/// or z - z^3/3 + 2z^5/15 where |z| &lt; 1/16 and the quotient would lose digits. A vector e^x costs a fraction of a scalar tanh.");
        }
        else
        {
            writer.WriteLine("/// a[i] = sigmoid(z[i]) = 1 / (1 + e^-z[i]) for every i (a may be z), as many lanes at a time as the hardware has.");
        }
        writer.WriteLine("/// </summary>");
        EmitSpanMap(writer, $"private static void {name}(ReadOnlySpan<float> z, Span<float> a)", (type, slice) => $"{name}({type}.Create({slice}))", $"{name}(z[i])");
        foreach (string type in new[] { "Vector512", "Vector256", "Vector128" })
        {
            writer.WriteLine();
            writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
            using (writer.Block($"private static {type}<float> {name}({type}<float> z)"))
            {
                if (activation == Activation.Tanh)
                {
                    writer.WriteLine($"{type}<float> x = {type}.Abs(z);");
                    writer.WriteLine($"{type}<float> e = Exp(x * -2f);");
                    writer.WriteLine($"{type}<float> quotient = ({type}<float>.One - e) / ({type}<float>.One + e);");
                    writer.WriteLine($"{type}<float> x2 = x * x;");
                    writer.WriteLine($"{type}<float> series = x * ({type}<float>.One + x2 * ({type}.Create(-1f / 3f) + x2 * {type}.Create(2f / 15f)));");
                    writer.WriteLine($"return {type}.CopySign({type}.ConditionalSelect({type}.LessThan(x, {type}.Create(0.0625f)), series, quotient), z);");
                }
                else
                {
                    writer.WriteLine($"return {type}<float>.One / ({type}<float>.One + Exp(-z));");
                }
            }
        }
    }

    private static readonly (string Type, int Lanes)[] VectorWidths = { ("Vector512", 16), ("Vector256", 8), ("Vector128", 4) };

    /// <summary>
    /// A helper that writes a[i] = f(z[i]) for every i, where a may be z: the widest vectors the hardware has, the last
    /// of them over the last values (computed before the loop can overwrite them), which overlaps the one before when
    /// the length is not a multiple of the width. No scalar tail.
    /// </summary>
    private static void EmitSpanMap(IndentedWriter writer, string signature, System.Func<string, string, string> vectorExpression, string scalarExpression)
    {
        writer.WriteLine(NetworkEmitter.Optimized);
        using (writer.Block(signature))
        {
            foreach (var (type, lanes) in VectorWidths)
            {
                using (writer.Block($"if ({type}.IsHardwareAccelerated && z.Length >= {lanes})"))
                {
                    writer.WriteLine($"{type}<float> last = {vectorExpression(type, $"z.Slice(z.Length - {lanes}, {lanes})")};");
                    using (writer.Block($"for (int i = 0; i < z.Length - {lanes}; i += {lanes})"))
                    {
                        writer.WriteLine($"{vectorExpression(type, $"z.Slice(i, {lanes})")}.CopyTo(a.Slice(i, {lanes}));");
                    }
                    writer.WriteLine($"last.CopyTo(a.Slice(z.Length - {lanes}, {lanes}));");
                    writer.WriteLine("return;");
                }
            }
            using (writer.Block("for (int i = 0; i < z.Length; i++)"))
            {
                writer.WriteLine($"a[i] = {scalarExpression};");
            }
        }
    }

    /// <summary>e^x for a whole vector, inlined: the runtime's own vector Exp widens floats to doubles and is not inlined.</summary>
    private static void EmitVectorExp(IndentedWriter writer, string type)
    {
        writer.WriteLine();
        writer.WriteLines($$"""
            /// <summary>
            /// e^x in every lane. With x = n ln 2 + r, n an integer and |r| &lt;= ln(2)/2, e^x = 2^n e^r: e^r from a polynomial of
            /// degree 7 (Cephes' expf, relative error under 2e-7), 2^n written straight into the exponent bits of a float.
            /// x is first kept within [-87.3, 88.3], where 2^n stays a normal float; a NaN stays NaN.
            /// </summary>
            {{NetworkEmitter.InlinedAndOptimized}}
            private static {{type}}<float> Exp({{type}}<float> x)
            {
                x = {{type}}.Min({{type}}.Max(x, {{type}}.Create(-87.3f)), {{type}}.Create(88.3f));
                {{type}}<float> n = {{type}}.Round(x * {{type}}.Create(1.44269504f));
                // r = x - n ln 2, with ln 2 split in two parts so that the product with n loses no digits.
                {{type}}<float> r = {{type}}.MultiplyAddEstimate(n, {{type}}.Create(-0.693359375f), x);
                r = {{type}}.MultiplyAddEstimate(n, {{type}}.Create(2.12194440e-4f), r);
                {{type}}<float> p = {{type}}.MultiplyAddEstimate({{type}}.Create(1.9875691500e-4f), r, {{type}}.Create(1.3981999507e-3f));
                p = {{type}}.MultiplyAddEstimate(p, r, {{type}}.Create(8.3334519073e-3f));
                p = {{type}}.MultiplyAddEstimate(p, r, {{type}}.Create(4.1665795894e-2f));
                p = {{type}}.MultiplyAddEstimate(p, r, {{type}}.Create(1.6666665459e-1f));
                p = {{type}}.MultiplyAddEstimate(p, r, {{type}}.Create(5.0000001201e-1f));
                {{type}}<float> expR = {{type}}.MultiplyAddEstimate(p, r * r, r) + {{type}}<float>.One;
                {{type}}<float> twoToN = {{type}}.ShiftLeft({{type}}.ConvertToInt32(n) + {{type}}.Create(127), 23).AsSingle();
                return expR * twoToN;
            }
            """);
    }

    public static void Emit(IndentedWriter writer, NetworkModel model)
    {
        writer.WriteLine();
        writer.WriteLine("// The float math the kernels use, declared here so that no member of the network class can take these names.");
        foreach (var (name, signature, body) in new[]
        {
            ("Exp", "float x", "Exp(x)"), ("Log", "float x", "Log(x)"), ("Tanh", "float x", "Tanh(x)"),
            ("Abs", "float x", "Abs(x)"), ("Max", "float x, float y", "Max(x, y)"),
        })
        {
            writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
            writer.WriteLine($"private static float {name}({signature}) => global::System.MathF.{body};");
        }
        // LSTM and GRU cells apply the vector sigmoid and tanh to their gates.
        bool gatedCells = model.Layers.Any(l => l is LstmLayerModel or GruLayerModel);
        if (gatedCells || model.Layers.Any(l => l.Activation is Activation.Tanh or Activation.Sigmoid or Activation.Softmax))
        {
            foreach (var (type, _) in VectorWidths)
            {
                EmitVectorExp(writer, type);
            }
        }
        foreach (Activation activation in new[] { Activation.Tanh, Activation.Sigmoid })
        {
            if (gatedCells || model.Layers.Any(l => l.Activation == activation))
            {
                EmitVectorizedActivation(writer, activation);
            }
        }
        if (gatedCells || model.Layers.Any(l => l.Activation == Activation.Sigmoid))
        {
            writer.WriteLine();
            writer.WriteLine("/// <summary>The logistic function 1 / (1 + e^-z).</summary>");
            writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
            writer.WriteLine("private static float Sigmoid(float z) => 1f / (1f + Exp(-z));");
        }
        if (model.OutputLayer.Activation == Activation.Softmax)
        {
            writer.WriteLine();
            writer.WriteLine("/// <summary>a[i] = e^(z[i] - shift) for every i, as many lanes at a time as the hardware has.</summary>");
            EmitSpanMap(writer, "private static void Exp(ReadOnlySpan<float> z, float shift, Span<float> a)", (type, slice) => $"Exp({type}.Create({slice}) - {type}.Create(shift))", "Exp(z[i] - shift)");
            writer.WriteLine();
            writer.WriteLines($$"""
                /// <summary>output[k] = e^(z[k] - max z) / sum_j e^(z[j] - max z): subtracting the largest z keeps every exponential finite.</summary>
                {{NetworkEmitter.Optimized}}
                private static void Softmax(ReadOnlySpan<float> logits, Span<float> output)
                {
                    float max = logits[0];
                    for (int k = 1; k < OutputSize; k++)
                    {
                        max = Max(max, logits[k]);
                    }
                    Exp(logits, max, output);
                    float sum = 0f;
                    for (int k = 0; k < OutputSize; k++)
                    {
                        sum += output[k];
                    }
                    float scale = 1f / sum;
                    for (int k = 0; k < OutputSize; k++)
                    {
                        output[k] *= scale;
                    }
                }
                """);
        }
    }
}
