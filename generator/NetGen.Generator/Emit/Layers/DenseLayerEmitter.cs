using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace NetGen.Generator;

/// <summary>
/// Emits a dense layer, z = W x + b, a = f(z), with W stored row-major (one row of weights per unit). A layer with
/// at most <c>UnrollThreshold</c> weights is written out in full, one statement per unit and every index a constant;
/// a larger one loops over its units and calls SIMD helpers for each row.
/// </summary>
internal sealed partial class DenseLayerEmitter : LayerEmitter
{
    private const int TermsPerLine = 4;
    private readonly DenseLayerModel _dense;
    private readonly bool _unrolled;

    public DenseLayerEmitter(DenseLayerModel layer, int number, int parameterOffset, bool isOutput, int unrollThreshold)
        : base(layer, number, parameterOffset, isOutput)
    {
        _dense = layer;
        _unrolled = layer.WeightCount <= unrollThreshold;
    }

    private int Inputs => _dense.InputSize;

    private int Units => _dense.OutputSize;

    private string WeightsName => $"Layer{Number}Weights";

    private string BiasesName => $"Layer{Number}Biases";

    private int BiasesOffset => ParameterOffset + _dense.WeightCount;

    public override string Describe()
        => $"{Inputs} -> {Units}, {_dense.Activation}: {_dense.WeightCount} weights at {ParameterOffset}..{BiasesOffset - 1}, " +
           (Units == 1 ? $"1 bias at {BiasesOffset}" : $"{Units} biases at {BiasesOffset}..{BiasesOffset + Units - 1}") +
           (_dense.Dropout > 0f ? $"; dropout {_dense.Dropout.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} while training" : "") +
           (_unrolled ? "; unrolled" : "; SIMD loops");

    public override void EmitOffsets(IndentedWriter writer)
    {
        writer.WriteLine($"/// <summary>Layer {Number}'s {_dense.WeightCount} weights start here: the weight from input i into unit j is at {WeightsName} + j * {Inputs} + i.</summary>");
        writer.WriteLine($"internal const int {WeightsName} = {ParameterOffset};");
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}'s {(Units == 1 ? "bias is" : $"{Units} biases start")} here, one per unit.</summary>");
        writer.WriteLine($"internal const int {BiasesName} = {BiasesOffset};");
    }

    public override void EmitForward(IndentedWriter writer, VectorKernelEmitter kernels) => EmitForwardMethod(writer, kernels, packed: false);

    /// <summary>The forward method: over the parameters, or (<paramref name="packed"/>) over the prediction layout, whose 8-unit blocks the packed kernels read.</summary>
    private void EmitForwardMethod(IndentedWriter writer, VectorKernelEmitter kernels, bool packed)
    {
        string activation = _dense.Activation == Activation.Softmax ? "softmax over the units" : _dense.Activation.ToString();
        string target = IsOutput ? "logits" : "output";
        writer.WriteLine();
        writer.WriteLine(packed
            ? $"/// <summary>{ForwardName} over the prediction layout: the blocks of {VectorKernelEmitter.PackedRows} units read their packed rows, the same sums in the same order.</summary>"
            : $"/// <summary>Layer {Number}, dense {Inputs} -> {Units}: z[j] = b[j] + sum_i W[j, i] input[i], then a = {activation}.</summary>");
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        string name = packed ? PackedForwardName : ForwardName;
        string signature = IsOutput
            ? $"internal static void {name}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> logits, Span<float> output)"
            : $"internal static void {name}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output)";
        using (writer.Block(signature))
        {
            if (_unrolled)
            {
                EmitUnrolledForward(writer, target);
            }
            else
            {
                EmitLoopedForward(writer, kernels, target, packed);
            }
            if (IsOutput)
            {
                EmitOutputActivation(writer);
            }
            else if (ActivationCode.IsVectorized(_dense.Activation))
            {
                writer.WriteLine(ActivationCode.ApplyToSpan(_dense.Activation, "output", "output"));
            }
        }
    }

    private void EmitUnrolledForward(IndentedWriter writer, string target)
    {
        writer.WriteLine($"ReadOnlySpan<float> w = parameters.Slice({WeightsName}, {_dense.WeightCount});");
        writer.WriteLine($"ReadOnlySpan<float> b = parameters.Slice({BiasesName}, {Units});");
        for (int i = 0; i < Inputs; i++)
        {
            writer.WriteLine($"float x{i} = input[{i}];");
        }
        for (int j = 0; j < Units; j++)
        {
            var terms = new List<string> { $"b[{j}]" };
            for (int i = 0; i < Inputs; i++)
            {
                terms.Add($"w[{j * Inputs + i}] * x{i}");
            }
            bool applyHere = !IsOutput;
            WriteSum(writer, $"{target}[{j}] = ", terms, applyHere ? ActivationCode.Inline(_dense.Activation) : Activation.Identity);
        }
    }

    private void EmitLoopedForward(IndentedWriter writer, VectorKernelEmitter kernels, string target, bool packed)
    {
        writer.WriteLine($"ref float weights = ref MemoryMarshal.GetReference(parameters.Slice({WeightsName}, {_dense.WeightCount}));");
        writer.WriteLine($"ReadOnlySpan<float> biases = parameters.Slice({BiasesName}, {Units});");
        writer.WriteLine("ref float x = ref MemoryMarshal.GetReference(input);");
        // Eight units at a time (eight independent sums keep both multiply-add units busy), then four, then one.
        int blockedUnits = 0;
        foreach (int block in new[] { 2 * VectorKernelEmitter.RowBlock, VectorKernelEmitter.RowBlock })
        {
            int end = blockedUnits + (Units - blockedUnits) / block * block;
            if (end == blockedUnits)
            {
                continue;
            }
            if (packed && block == VectorKernelEmitter.PackedRows)
            {
                EmitPackedBlocks(writer, kernels, target, end);
                blockedUnits = end;
                continue;
            }
            writer.WriteLine($"// {block} units at a time: their rows of weights are read together, against one read of the input.");
            if (UsesAffineRows(block))
            {
                // The activation, if any, runs over the whole span afterwards: the weighted sums can go out as vectors.
                string affine = kernels.AffineRows(Inputs, block);
                using (writer.Block($"for (int unit = {blockedUnits}; unit < {end}; unit += {block})"))
                {
                    writer.WriteLine($"{affine}(ref Unsafe.Add(ref weights, unit * {Inputs}), ref x, ref Unsafe.Add(ref MemoryMarshal.GetReference(biases), unit), ref Unsafe.Add(ref MemoryMarshal.GetReference({target}), unit));");
                }
                blockedUnits = end;
                continue;
            }
            string dotRows = kernels.DotRows(Inputs, block);
            using (writer.Block($"for (int unit = {blockedUnits}; unit < {end}; unit += {block})"))
            {
                string outs = string.Join(", ", Enumerable.Range(0, block).Select(r => $"out float sum{r}"));
                writer.WriteLine($"{dotRows}(ref Unsafe.Add(ref weights, unit * {Inputs}), ref x, {outs});");
                for (int r = 0; r < block; r++)
                {
                    string index = r == 0 ? "unit" : $"unit + {r}";
                    string z = $"biases[{index}] + sum{r}";
                    writer.WriteLine(IsOutput
                        ? $"{target}[{index}] = {z};"
                        : $"{target}[{index}] = {ActivationCode.Apply(ActivationCode.Inline(_dense.Activation), z)};");
                }
            }
            blockedUnits = end;
        }
        if (blockedUnits == Units)
        {
            return;
        }
        string dot = kernels.Dot(Inputs);
        using (writer.Block($"for (int unit = {blockedUnits}; unit < {Units}; unit++)"))
        {
            string z = $"biases[unit] + {dot}(ref Unsafe.Add(ref weights, unit * {Inputs}), ref x)";
            writer.WriteLine(IsOutput
                ? $"{target}[unit] = {z};"
                : $"{target}[unit] = {ActivationCode.Apply(ActivationCode.Inline(_dense.Activation), z)};");
        }
    }

    private void EmitOutputActivation(IndentedWriter writer)
    {
        if (_dense.Activation == Activation.Softmax)
        {
            writer.WriteLine("Softmax(logits, output);");
            return;
        }
        if (ActivationCode.IsVectorized(_dense.Activation))
        {
            writer.WriteLine(ActivationCode.ApplyToSpan(_dense.Activation, "logits", "output"));
            return;
        }
        if (_unrolled)
        {
            for (int j = 0; j < Units; j++)
            {
                writer.WriteLine($"output[{j}] = {ActivationCode.Apply(_dense.Activation, $"logits[{j}]")};");
            }
            return;
        }
        using (writer.Block($"for (int unit = 0; unit < {Units}; unit++)"))
        {
            writer.WriteLine($"output[unit] = {ActivationCode.Apply(_dense.Activation, "logits[unit]")};");
        }
    }

    public override void EmitBackward(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>");
        writer.WriteLine($"/// Layer {Number} backward, given delta[j] = dL/dz[j]: dL/db[j] = delta[j] and dL/dW[j, i] = delta[j] input[i] are added into gradient;");
        writer.WriteLine(IsFirst
            ? "/// the input's own gradient is not needed."
            : "/// dL/dinput[i] = sum_j W[j, i] delta[j] is written into inputGradient.");
        writer.WriteLine($"/// </summary>");
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        string signature = $"internal static void {BackwardName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> delta, Span<float> gradient"
            + (IsFirst ? ")" : ", Span<float> inputGradient)");
        using (writer.Block(signature))
        {
            if (_unrolled)
            {
                EmitUnrolledBackward(writer);
            }
            else
            {
                EmitLoopedBackward(writer, kernels);
            }
        }
    }

    private void EmitUnrolledBackward(IndentedWriter writer)
    {
        if (!IsFirst)
        {
            writer.WriteLine($"ReadOnlySpan<float> w = parameters.Slice({WeightsName}, {_dense.WeightCount});");
        }
        writer.WriteLine($"Span<float> weightGradient = gradient.Slice({WeightsName}, {_dense.WeightCount});");
        writer.WriteLine($"Span<float> biasGradient = gradient.Slice({BiasesName}, {Units});");
        WriteGradientTerms(writer, j => $"biasGradient[{j}]", k => $"weightGradient[{k}]");
        if (IsFirst)
        {
            return;
        }
        WriteUnrolledInputGradient(writer);
    }

    /// <summary>
    /// One sample's terms of the gradient, added into the given places: x0, x1, ... and d0, d1, ... from input and
    /// delta, then bias[j] += d{j} and weight[j * Inputs + i] += d{j} * x{i}, unit after unit.
    /// </summary>
    private void WriteGradientTerms(IndentedWriter writer, System.Func<int, string> bias, System.Func<int, string> weight)
    {
        for (int i = 0; i < Inputs; i++)
        {
            writer.WriteLine($"float x{i} = input[{i}];");
        }
        for (int j = 0; j < Units; j++)
        {
            writer.WriteLine($"float d{j} = delta[{j}];");
        }
        for (int j = 0; j < Units; j++)
        {
            writer.WriteLine($"{bias(j)} += d{j};");
            for (int i = 0; i < Inputs; i++)
            {
                writer.WriteLine($"{weight(j * Inputs + i)} += d{j} * x{i};");
            }
        }
    }

    /// <summary>inputGradient[i] = sum_j w[j, i] d{j}, one statement per input; w and d0, d1, ... are in scope.</summary>
    private void WriteUnrolledInputGradient(IndentedWriter writer)
    {
        for (int i = 0; i < Inputs; i++)
        {
            var terms = new List<string>();
            for (int j = 0; j < Units; j++)
            {
                terms.Add($"w[{j * Inputs + i}] * d{j}");
            }
            WriteSum(writer, $"inputGradient[{i}] = ", terms, Activation.Identity);
        }
    }

    private void EmitLoopedBackward(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        string multiplyAdd = kernels.MultiplyAdd(Inputs);
        if (!IsFirst)
        {
            writer.WriteLine($"ref float weights = ref MemoryMarshal.GetReference(parameters.Slice({WeightsName}, {_dense.WeightCount}));");
        }
        writer.WriteLine($"ref float weightGradient = ref MemoryMarshal.GetReference(gradient.Slice({WeightsName}, {_dense.WeightCount}));");
        writer.WriteLine($"Span<float> biasGradient = gradient.Slice({BiasesName}, {Units});");
        writer.WriteLine("ref float x = ref MemoryMarshal.GetReference(input);");
        using (writer.Block($"for (int unit = 0; unit < {Units}; unit++)"))
        {
            writer.WriteLine("float d = delta[unit];");
            writer.WriteLine("biasGradient[unit] += d;");
            writer.WriteLine($"{multiplyAdd}(d, ref x, ref Unsafe.Add(ref weightGradient, unit * {Inputs}));");
        }
        if (!IsFirst)
        {
            writer.WriteLine("// dL/dinput[i] = sum_j W[j, i] delta[j].");
            WriteWeightedRowSum(writer, kernels, "ref MemoryMarshal.GetReference(delta)", "ref MemoryMarshal.GetReference(inputGradient)");
        }
    }

    /// <summary>
    /// The unrolled layer over a micro-batch: each row's weighted sums as in the per-sample method, then a vectorized
    /// activation (tanh, sigmoid) once over all the rows, which fills whole vectors even when one row would not.
    /// </summary>
    private void EmitUnrolledForwardBatch(IndentedWriter writer, string signature)
    {
        bool vectorized = ActivationCode.IsVectorized(_dense.Activation);
        string all = $"Slice(0, count * {Units})";
        writer.WriteLine($"/// <summary>Layer {Number} for <paramref name=\"count\"/> samples, one row each: what {ForwardName} computes for each row.</summary>");
        // A few statements per row: inlined into the micro-batch pass rather than called with five span arguments.
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        using (writer.Block(signature))
        {
            using (writer.Block("for (int s = 0; s < count; s++)"))
            {
                writer.WriteLine($"ReadOnlySpan<float> input = inputs.Slice(s * {Inputs}, {Inputs});");
                writer.WriteLine($"Span<float> z = {(IsOutput ? "logits" : "outputs")}.Slice(s * {Units}, {Units});");
                EmitUnrolledForward(writer, "z");
                if (IsOutput && _dense.Activation == Activation.Softmax)
                {
                    writer.WriteLine($"Softmax(z, outputs.Slice(s * {Units}, {Units}));");
                }
                else if (IsOutput && !vectorized)
                {
                    for (int j = 0; j < Units; j++)
                    {
                        writer.WriteLine($"outputs[s * {Units} + {j}] = {ActivationCode.Apply(_dense.Activation, $"z[{j}]")};");
                    }
                }
            }
            if (vectorized)
            {
                writer.WriteLine(ActivationCode.ApplyToSpan(_dense.Activation, $"{(IsOutput ? "logits" : "outputs")}.{all}", $"outputs.{all}"));
            }
        }
    }

    public override void EmitForwardBatch(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        writer.WriteLine();
        string spans = IsOutput ? "Span<float> logits, Span<float> outputs" : "Span<float> outputs";
        string signature = $"internal static void {ForwardBatchName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, {spans}, int count)";
        if (_unrolled)
        {
            EmitUnrolledForwardBatch(writer, signature);
            return;
        }

        writer.WriteLine($"/// <summary>");
        writer.WriteLine($"/// Layer {Number} for <paramref name=\"count\"/> samples, one row each: what {ForwardName} computes, with the loops turned so");
        writer.WriteLine($"/// that each block of {VectorKernelEmitter.RowBlock} rows of weights is fetched from memory once for all the samples, not once per sample.");
        writer.WriteLine($"/// </summary>");
        writer.WriteLine(NetworkEmitter.Optimized);
        using (writer.Block(signature))
        {
            string target = IsOutput ? "logits" : "outputs";
            writer.WriteLine($"ref float weights = ref MemoryMarshal.GetReference(parameters.Slice({WeightsName}, {_dense.WeightCount}));");
            writer.WriteLine($"ReadOnlySpan<float> biases = parameters.Slice({BiasesName}, {Units});");
            writer.WriteLine("ref float firstInput = ref MemoryMarshal.GetReference(inputs);");
            int block = VectorKernelEmitter.RowBlock;
            int blockedUnits = Units - Units % block;
            if (blockedUnits > 0)
            {
                string dotRows = kernels.DotRows(Inputs);
                string dotRowsTwice = kernels.DotRowsTwice(Inputs);
                string dotRowsFour = kernels.DotRowsFourSamples(Inputs);
                int samples = VectorKernelEmitter.SampleBlock;
                int group = SamplesPerGroup;
                writer.WriteLine($"// {samples} samples at a time against each block of {block} rows: {block * samples} independent sums, written into the outputs, then the");
                writer.WriteLine($"// biases added{(IsOutput ? "" : " and the activation applied")} in place. The samples go in groups of {group} whose inputs stay in the L1 cache while every block of rows passes.");
                writer.WriteLine($"int quadEnd = count - count % {samples};");
                using (writer.Block($"for (int group = 0; group < quadEnd; group += {group})"))
                {
                    writer.WriteLine($"int groupEnd = Math.Min(group + {group}, quadEnd);");
                    using (writer.Block($"for (int unit = 0; unit < {blockedUnits}; unit += {block})"))
                    {
                        writer.WriteLine($"ref float rows = ref Unsafe.Add(ref weights, unit * {Inputs});");
                        using (writer.Block($"for (int s = group; s < groupEnd; s += {samples})"))
                        {
                            writer.WriteLine($"{dotRowsFour}(ref rows, ref Unsafe.Add(ref firstInput, s * {Inputs}), ref Unsafe.Add(ref MemoryMarshal.GetReference({target}), s * {Units} + unit), {Units});");
                            using (writer.Block($"for (int t = s; t < s + {samples}; t++)"))
                            {
                                writer.WriteLine($"Span<float> row = {target}.Slice(t * {Units}, {Units});");
                                for (int r = 0; r < block; r++)
                                {
                                    string index = r == 0 ? "unit" : $"unit + {r}";
                                    string z = $"biases[{index}] + row[{index}]";
                                    writer.WriteLine(IsOutput ? $"row[{index}] = {z};" : $"row[{index}] = {ActivationCode.Apply(ActivationCode.Inline(_dense.Activation), z)};");
                                }
                            }
                        }
                    }
                }
                writer.WriteLine("// The last samples (up to three): two at a time, then one.");
                using (writer.Block($"for (int unit = 0; unit < {blockedUnits}; unit += {block})"))
                {
                    writer.WriteLine($"ref float rows = ref Unsafe.Add(ref weights, unit * {Inputs});");
                    writer.WriteLine("int s = quadEnd;");
                    using (writer.Block("for (; s + 1 < count; s += 2)"))
                    {
                        string outs2 = string.Join(", ", Enumerable.Range(0, block).Select(r => $"out float first{r}").Concat(Enumerable.Range(0, block).Select(r => $"out float second{r}")));
                        writer.WriteLine($"{dotRowsTwice}(ref rows, ref Unsafe.Add(ref firstInput, s * {Inputs}), ref Unsafe.Add(ref firstInput, (s + 1) * {Inputs}), {outs2});");
                        writer.WriteLine($"Span<float> row = {target}.Slice(s * {Units}, {Units});");
                        writer.WriteLine($"Span<float> nextRow = {target}.Slice((s + 1) * {Units}, {Units});");
                        for (int r = 0; r < block; r++)
                        {
                            string index = r == 0 ? "unit" : $"unit + {r}";
                            foreach (var (rowName, sum) in new[] { ("row", $"first{r}"), ("nextRow", $"second{r}") })
                            {
                                string z = $"biases[{index}] + {sum}";
                                writer.WriteLine(IsOutput ? $"{rowName}[{index}] = {z};" : $"{rowName}[{index}] = {ActivationCode.Apply(ActivationCode.Inline(_dense.Activation), z)};");
                            }
                        }
                    }
                    using (writer.Block("for (; s < count; s++)"))
                    {
                        string outs = string.Join(", ", Enumerable.Range(0, block).Select(r => $"out float sum{r}"));
                        writer.WriteLine($"{dotRows}(ref rows, ref Unsafe.Add(ref firstInput, s * {Inputs}), {outs});");
                        writer.WriteLine($"Span<float> row = {target}.Slice(s * {Units}, {Units});");
                        for (int r = 0; r < block; r++)
                        {
                            string index = r == 0 ? "unit" : $"unit + {r}";
                            string z = $"biases[{index}] + sum{r}";
                            writer.WriteLine(IsOutput ? $"row[{index}] = {z};" : $"row[{index}] = {ActivationCode.Apply(ActivationCode.Inline(_dense.Activation), z)};");
                        }
                    }
                }
            }
            if (blockedUnits < Units)
            {
                string dot = kernels.Dot(Inputs);
                using (writer.Block($"for (int unit = {blockedUnits}; unit < {Units}; unit++)"))
                {
                    using (writer.Block("for (int s = 0; s < count; s++)"))
                    {
                        string z = $"biases[unit] + {dot}(ref Unsafe.Add(ref weights, unit * {Inputs}), ref Unsafe.Add(ref firstInput, s * {Inputs}))";
                        writer.WriteLine(IsOutput ? $"{target}[s * {Units} + unit] = {z};" : $"{target}[s * {Units} + unit] = {ActivationCode.Apply(ActivationCode.Inline(_dense.Activation), z)};");
                    }
                }
            }
            if (!IsOutput && ActivationCode.IsVectorized(_dense.Activation))
            {
                writer.WriteLine($"Span<float> all = outputs.Slice(0, count * {Units});");
                writer.WriteLine(ActivationCode.ApplyToSpan(_dense.Activation, "all", "all"));
            }
            if (IsOutput)
            {
                using (writer.Block("for (int s = 0; s < count; s++)"))
                {
                    writer.WriteLine($"ReadOnlySpan<float> z = logits.Slice(s * {Units}, {Units});");
                    writer.WriteLine($"Span<float> output = outputs.Slice(s * {Units}, {Units});");
                    if (_dense.Activation == Activation.Softmax)
                    {
                        writer.WriteLine("Softmax(z, output);");
                    }
                    else if (ActivationCode.IsVectorized(_dense.Activation))
                    {
                        writer.WriteLine(ActivationCode.ApplyToSpan(_dense.Activation, "z", "output"));
                    }
                    else
                    {
                        using (writer.Block($"for (int unit = 0; unit < {Units}; unit++)"))
                        {
                            writer.WriteLine($"output[unit] = {ActivationCode.Apply(_dense.Activation, "z[unit]")};");
                        }
                    }
                }
            }
        }
    }

    /// <summary>How many inputs the batch forward pass keeps in the L1 cache at once (about 32 KB of them, whole blocks of four).</summary>
    private int SamplesPerGroup => System.Math.Max(VectorKernelEmitter.SampleBlock, 32 * 1024 / (4 * Inputs) / VectorKernelEmitter.SampleBlock * VectorKernelEmitter.SampleBlock);

    public override void EmitBackwardBatch(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        writer.WriteLine();
        string signature = $"internal static void {BackwardBatchName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> deltas, Span<float> gradient"
            + (IsFirst ? ", int count, bool overwrite)" : ", Span<float> inputGradients, int count, bool overwrite)");
        if (_unrolled)
        {
            writer.WriteLine($"/// <summary>");
            writer.WriteLine($"/// Layer {Number} backward for <paramref name=\"count\"/> samples, one row each: {BackwardName} on each row. With");
            writer.WriteLine($"/// <paramref name=\"overwrite\"/>, the layer's gradient is replaced by these samples' sum instead of added to.");
            writer.WriteLine($"/// </summary>");
            // Summed in registers, the loop is short: inlined into the micro-batch pass, its many span arguments are not passed.
            writer.WriteLine(GradientFitsInRegisters ? NetworkEmitter.InlinedAndOptimized : NetworkEmitter.Optimized);
            using (writer.Block(signature))
            {
                if (GradientFitsInRegisters)
                {
                    EmitRegisterBackwardBatch(writer);
                    return;
                }
                using (writer.Block("if (overwrite)"))
                {
                    writer.WriteLine($"gradient.Slice({WeightsName}, {_dense.WeightCount}).Clear();");
                    writer.WriteLine($"gradient.Slice({BiasesName}, {Units}).Clear();");
                }
                using (writer.Block("for (int s = 0; s < count; s++)"))
                {
                    string inputGradient = IsFirst ? "" : $", inputGradients.Slice(s * {Inputs}, {Inputs})";
                    writer.WriteLine($"{BackwardName}(parameters, inputs.Slice(s * {Inputs}, {Inputs}), deltas.Slice(s * {Units}, {Units}), gradient{inputGradient});");
                }
            }
            return;
        }

        writer.WriteLine($"/// <summary>");
        writer.WriteLine($"/// Layer {Number} backward for <paramref name=\"count\"/> samples: dL/dW[j, i] += sum_s delta[s, j] input[s, i], taken {VectorKernelEmitter.RowBlock} rows of the");
        writer.WriteLine($"/// gradient at a time, so that each row is read and written once for all the samples instead of once per sample. With");
        writer.WriteLine($"/// <paramref name=\"overwrite\"/>, the layer's gradient is replaced by these samples' sum: the rows are written without being read.");
        writer.WriteLine($"/// </summary>");
        writer.WriteLine(NetworkEmitter.Optimized);
        using (writer.Block(signature))
        {
            writer.WriteLine($"ref float weightGradient = ref MemoryMarshal.GetReference(gradient.Slice({WeightsName}, {_dense.WeightCount}));");
            writer.WriteLine($"Span<float> biasGradient = gradient.Slice({BiasesName}, {Units});");
            writer.WriteLine("ref float firstInput = ref MemoryMarshal.GetReference(inputs);");
            writer.WriteLine("ref float firstDelta = ref MemoryMarshal.GetReference(deltas);");
            using (writer.Block("if (overwrite)"))
            {
                writer.WriteLine("biasGradient.Clear();");
            }
            using (writer.Block("for (int s = 0; s < count; s++)"))
            {
                writer.WriteLine($"ReadOnlySpan<float> delta = deltas.Slice(s * {Units}, {Units});");
                using (writer.Block($"for (int unit = 0; unit < {Units}; unit++)"))
                {
                    writer.WriteLine("biasGradient[unit] += delta[unit];");
                }
            }
            int block = VectorKernelEmitter.RowBlock;
            int blockedUnits = Units - Units % block;
            if (blockedUnits > 0)
            {
                string outer = kernels.AccumulateOuterRows(Inputs);
                using (writer.Block($"for (int unit = 0; unit < {blockedUnits}; unit += {block})"))
                {
                    writer.WriteLine($"{outer}(ref Unsafe.Add(ref weightGradient, unit * {Inputs}), ref firstInput, ref Unsafe.Add(ref firstDelta, unit), deltaStride: {Units}, count, overwrite);");
                }
            }
            if (blockedUnits < Units)
            {
                string multiplyAdd = kernels.MultiplyAdd(Inputs);
                using (writer.Block("if (overwrite)"))
                {
                    writer.WriteLine($"gradient.Slice({WeightsName} + {blockedUnits * Inputs}, {(Units - blockedUnits) * Inputs}).Clear();");
                }
                using (writer.Block($"for (int unit = {blockedUnits}; unit < {Units}; unit++)"))
                {
                    using (writer.Block("for (int s = 0; s < count; s++)"))
                    {
                        writer.WriteLine($"{multiplyAdd}(deltas[s * {Units} + unit], ref Unsafe.Add(ref firstInput, s * {Inputs}), ref Unsafe.Add(ref weightGradient, unit * {Inputs}));");
                    }
                }
            }
            if (IsFirst)
            {
                return;
            }
            writer.WriteLine($"// dL/dinput[s, i] = sum_j W[j, i] delta[s, j], sample by sample.");
            writer.WriteLine($"ref float weights = ref MemoryMarshal.GetReference(parameters.Slice({WeightsName}, {_dense.WeightCount}));");
            writer.WriteLine("ref float firstInputGradient = ref MemoryMarshal.GetReference(inputGradients);");
            using (writer.Block("for (int s = 0; s < count; s++)"))
            {
                WriteWeightedRowSum(writer, kernels, $"ref Unsafe.Add(ref firstDelta, s * {Units})", $"ref Unsafe.Add(ref firstInputGradient, s * {Inputs})");
            }
        }
    }

    /// <summary>
    /// The most gradient values (weights and biases) an unrolled layer's batch backward pass keeps in locals over the
    /// samples: few enough for the JIT to hold them all in registers (x64 has 16 vector registers, 32 with AVX-512).
    /// </summary>
    internal const int RegisterGradientLimit = 16;

    private bool GradientFitsInRegisters => _dense.WeightCount + Units <= RegisterGradientLimit;

    /// <summary>
    /// The batch backward pass of a layer whose whole gradient fits in <see cref="RegisterGradientLimit"/> locals: each
    /// value is summed over the samples in a local and stored once, instead of read and written once per sample, each
    /// store waiting on the one before. The same additions in the same order as <see cref="EmitUnrolledBackward"/>
    /// sample after sample, so the same bits: starting from 0 with <c>overwrite</c> is what clearing the gradient did.
    /// </summary>
    private void EmitRegisterBackwardBatch(IndentedWriter writer)
    {
        writer.WriteLine($"Span<float> weightGradient = gradient.Slice({WeightsName}, {_dense.WeightCount});");
        writer.WriteLine($"Span<float> biasGradient = gradient.Slice({BiasesName}, {Units});");
        writer.WriteLine("// The layer's gradient, summed over the samples in locals and stored once at the end.");
        for (int j = 0; j < Units; j++)
        {
            writer.WriteLine($"float gb{j} = overwrite ? 0f : biasGradient[{j}];");
        }
        for (int k = 0; k < _dense.WeightCount; k++)
        {
            writer.WriteLine($"float gw{k} = overwrite ? 0f : weightGradient[{k}];");
        }
        if (!IsFirst)
        {
            writer.WriteLine($"ReadOnlySpan<float> w = parameters.Slice({WeightsName}, {_dense.WeightCount});");
        }
        using (writer.Block("for (int s = 0; s < count; s++)"))
        {
            writer.WriteLine($"ReadOnlySpan<float> input = inputs.Slice(s * {Inputs}, {Inputs});");
            writer.WriteLine($"ReadOnlySpan<float> delta = deltas.Slice(s * {Units}, {Units});");
            WriteGradientTerms(writer, j => $"gb{j}", k => $"gw{k}");
            if (!IsFirst)
            {
                writer.WriteLine($"Span<float> inputGradient = inputGradients.Slice(s * {Inputs}, {Inputs});");
                WriteUnrolledInputGradient(writer);
            }
        }
        for (int j = 0; j < Units; j++)
        {
            writer.WriteLine($"biasGradient[{j}] = gb{j};");
        }
        for (int k = 0; k < _dense.WeightCount; k++)
        {
            writer.WriteLine($"weightGradient[{k}] = gw{k};");
        }
    }

    public override void EmitInputGradient(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        if (IsFirst)
        {
            return;
        }
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}: dL/dinput[i] = sum_j W[j, i] delta[j], with the weights as they are.</summary>");
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        using (writer.Block($"internal static void {InputGradientName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> delta, Span<float> inputGradient)"))
        {
            if (_unrolled)
            {
                writer.WriteLine($"ReadOnlySpan<float> w = parameters.Slice({WeightsName}, {_dense.WeightCount});");
                for (int j = 0; j < Units; j++)
                {
                    writer.WriteLine($"float d{j} = delta[{j}];");
                }
                WriteUnrolledInputGradient(writer);
                return;
            }
            writer.WriteLine($"ref float weights = ref MemoryMarshal.GetReference(parameters.Slice({WeightsName}, {_dense.WeightCount}));");
            WriteWeightedRowSum(writer, kernels, "ref MemoryMarshal.GetReference(delta)", "ref MemoryMarshal.GetReference(inputGradient)");
        }
    }

    /// <summary>Writes dL/dinput = W^T delta for one sample, the deltas and the destination given as refs.</summary>
    private void WriteWeightedRowSum(IndentedWriter writer, VectorKernelEmitter kernels, string deltas, string destination)
        => writer.WriteLine($"{kernels.WeightedRowSum(Inputs)}(ref weights, {deltas}, {Units}, {destination});");

    public override void EmitSgdUpdate(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        writer.WriteLine();
        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// Layer {Number}, one sample's step of gradient descent: dL/db[j] = delta[j] and dL/dW[j, i] = delta[j] input[i], so");
        writer.WriteLine("/// b[j] -= learningRate delta[j] and W[j, i] -= learningRate delta[j] input[i], applied in place as they are computed.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        using (writer.Block($"internal static void {SgdUpdateName}(Span<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> delta, float learningRate)"))
        {
            if (_unrolled)
            {
                writer.WriteLine($"Span<float> w = parameters.Slice({WeightsName}, {_dense.WeightCount});");
                writer.WriteLine($"Span<float> b = parameters.Slice({BiasesName}, {Units});");
                for (int i = 0; i < Inputs; i++)
                {
                    writer.WriteLine($"float x{i} = input[{i}];");
                }
                for (int j = 0; j < Units; j++)
                {
                    writer.WriteLine($"float step{j} = learningRate * delta[{j}];");
                    writer.WriteLine($"b[{j}] -= step{j};");
                    for (int i = 0; i < Inputs; i++)
                    {
                        writer.WriteLine($"w[{j * Inputs + i}] -= step{j} * x{i};");
                    }
                }
                return;
            }
            string multiplyAdd = kernels.MultiplyAdd(Inputs);
            writer.WriteLine($"ref float weights = ref MemoryMarshal.GetReference(parameters.Slice({WeightsName}, {_dense.WeightCount}));");
            writer.WriteLine($"Span<float> biases = parameters.Slice({BiasesName}, {Units});");
            writer.WriteLine("ref float x = ref MemoryMarshal.GetReference(input);");
            using (writer.Block($"for (int unit = 0; unit < {Units}; unit++)"))
            {
                writer.WriteLine("float step = learningRate * delta[unit];");
                writer.WriteLine("biases[unit] -= step;");
                writer.WriteLine($"{multiplyAdd}(-step, ref x, ref Unsafe.Add(ref weights, unit * {Inputs}));");
            }
        }
    }

    /// <summary>Writes <c>prefix f(t0 + t1 + ...);</c>, a few terms per line when there are many.</summary>
    private static void WriteSum(IndentedWriter writer, string prefix, List<string> terms, Activation activation, System.Func<Activation, string, string>? apply = null)
    {
        apply ??= ActivationCode.Apply;
        if (terms.Count <= TermsPerLine + 1)
        {
            writer.WriteLine(prefix + apply(activation, string.Join(" + ", terms)) + ";");
            return;
        }
        var lines = new List<string>();
        for (int start = 0; start < terms.Count; start += TermsPerLine)
        {
            var line = new StringBuilder(start == 0 ? "    " : "    + ");
            line.Append(string.Join(" + ", terms.GetRange(start, System.Math.Min(TermsPerLine, terms.Count - start))));
            lines.Add(line.ToString());
        }
        string body = string.Join("\n", lines);
        writer.WriteLines(activation == Activation.Identity
            ? prefix.TrimEnd() + "\n" + body + ";"
            : prefix + apply(activation, "\n" + body) + ";");
    }
}
