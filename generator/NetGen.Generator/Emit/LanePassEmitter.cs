using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// The micro-batch pass in lane form, for networks small enough that a whole group of samples' values of a layer fit in
/// one 512-bit vector: every layer has a lane form (<see cref="LayerEmitter.LaneWidth"/>) and the loss is mean squared
/// error. The sample-by-sample batch path computes each layer sample by sample and passes the values through the stack;
/// here they stay in registers from the input to the gradient, and each lane does the operations the sample-by-sample
/// path does for its value, in the same order, so that both give the same bits. Written only where Vector512 is
/// hardware-accelerated at run time, for whole groups; any other count, and any other machine, takes the sample-by-sample path.
/// </summary>
internal static class LanePassEmitter
{
    public const string MethodName = "AccumulateMicroBatchInLanes";

    /// <summary>The samples a group holds: as many as fit in 16 lanes at the widest layer's width; 0 when the network has no lane form.</summary>
    public static int GroupSize(NetworkModel model, IReadOnlyList<LayerEmitter> layers)
    {
        if (model.Loss != Loss.MeanSquaredError || layers.Any(layer => layer.LaneWidth == 0))
        {
            return 0;
        }
        return LaneCode.Lanes / layers.Max(layer => layer.LaneWidth);
    }

    /// <summary>The fewest samples the lane-form pass takes: whole groups, at least as many as every layer's activation needs.</summary>
    private static int MinimumSamples(IReadOnlyList<LayerEmitter> layers, int group)
    {
        int minimum = layers.Max(layer => layer.LaneMinimumSamples);
        return (minimum + group - 1) / group * group;
    }

    public const string BatchStepName = "SgdBatchStep";

    public const string FusesBatchStepName = "FusesBatchSgdStep";

    /// <summary>
    /// In the network class, for a network with a lane form: INetwork's FusesBatchSgdStep and SgdBatchStep, the trainer's
    /// step on a small batch with plain Sgd, fused: whole groups in lanes, other counts through the batch path and the
    /// runtime's scalar step, the same bits either way.
    /// </summary>
    public static void EmitBatchStep(IndentedWriter writer, NetworkModel model, IReadOnlyList<LayerEmitter> layers)
    {
        if (Condition(model, layers) is not { } condition)
        {
            return;
        }
        string kernels = NetworkEmitter.KernelsClass;
        writer.WriteLine();
        writer.WriteLines($$"""
            /// <summary>True: this network's layers are small enough for <see cref="{{BatchStepName}}"/> to keep the gradient in registers.</summary>
            {{NetworkEmitter.EditorBrowsableNever}}
            public static bool {{FusesBatchStepName}} => true;

            /// <summary>
            /// One step of plain gradient descent on the mean gradient of a batch of rows, fused: what ComputeBatchGradient, the
            /// gradient times 1/count and <c>Sgd</c>'s theta -= <paramref name="learningRate"/> * (g + 0 theta) compute, bit for bit,
            /// with the gradient kept in registers where 512-bit vectors are accelerated. The trainer takes it for batches of up
            /// to 32 samples with plain <c>Sgd</c>.
            /// </summary>
            /// <returns>
            /// The sum of the rows' losses before the step. When it, or any value of the mean gradient, is not finite, the
            /// parameters are left as they were and the value returned is not finite (NaN when only the gradient was).
            /// </returns>
            {{NetworkEmitter.EditorBrowsableNever}}
            {{NetworkEmitter.Optimized}}
            public static float {{BatchStepName}}(Span<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, float learningRate)
            {
                global::NetGen.CompilerServices.ArgumentLength.Check(parameters.Length, ParameterCount, nameof(parameters));
                int count = inputs.Length / InputSize;
                global::NetGen.CompilerServices.ArgumentLength.Check(inputs.Length, global::System.Math.Max(1, count) * InputSize, nameof(inputs));
                global::NetGen.CompilerServices.ArgumentLength.Check(targets.Length, count * OutputSize, nameof(targets));
                if ({{condition}} && count <= {{kernels}}.MicroBatch)
                {
                    return {{kernels}}.{{StepMethodName}}(parameters, inputs, targets, count, learningRate);
                }
                Span<float> gradient = stackalloc float[ParameterCount];
                var random = new global::NetGen.DeterministicRandom(0); // no layer of this network draws from it
                float loss = {{kernels}}.BatchGradient(parameters, inputs, targets, gradient, overwrite: true, ref random);
                return global::NetGen.CompilerServices.BatchSgd.Step(parameters, gradient, count, loss, learningRate);
            }
            """);
    }

    /// <summary>In AccumulateMicroBatch, before anything else: whole groups go to the lane-form pass.</summary>
    public static void EmitDispatch(IndentedWriter writer, NetworkModel model, IReadOnlyList<LayerEmitter> layers)
    {
        if (Condition(model, layers) is not { } condition)
        {
            return;
        }
        int group = GroupSize(model, layers);
        writer.WriteLine(group == 1
            ? "// The samples go through in lanes, the same operations on the same values, a vector at a time."
            : $"// Whole groups of {group} samples go through in lanes, the same operations on the same values, a vector at a time.");
        using (writer.Block($"if ({condition})"))
        {
            writer.WriteLine($"return {MethodName}(parameters, inputs, targets, count, gradient, overwrite);");
        }
    }

    /// <summary>The lane-form methods of the kernels class: the micro-batch pass and the fused gradient-descent step.</summary>
    public static void Emit(IndentedWriter writer, NetworkModel model, IReadOnlyList<LayerEmitter> layers)
    {
        int group = GroupSize(model, layers);
        if (group == 0)
        {
            return;
        }
        string samples = $"{group} sample{(group == 1 ? "" : "s")}";
        writer.WriteLine();
        writer.WriteLines($$"""
            /// <summary>
            /// AccumulateMicroBatch for whole groups of {{samples}}, with each layer's values for the group in one Vector512: lane w s + j
            /// holds unit j of the group's sample s, w being the layer's units rounded up to a power of two. Each lane computes
            /// what the sample-by-sample path computes for its value, operation for operation, and each gradient is summed over
            /// the samples in their order, so the bits are the same; nothing goes through memory between the input and the gradient.
            /// </summary>
            {{NetworkEmitter.Optimized}}
            """);
        using (writer.Block($"internal static float {MethodName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int count, Span<float> gradient, bool overwrite)"))
        {
            EmitGroups(writer, model, layers, group, fromZero: false);
            EmitStores(writer, "gradient", "gradient", layers.SelectMany(layer => layer.LaneGradient()));
            writer.WriteLine("return loss;");
        }

        writer.WriteLine();
        writer.WriteLines($$"""
            /// <summary>
            /// SgdBatchStep for whole groups of {{samples}}: the gradient summed in lanes as in {{MethodName}}, then, without leaving the
            /// registers, its mean (times 1/count, as the trainer scales it) and theta -= rate * (g + 0 theta), Sgd's plain step, lane for lane.
            /// </summary>
            {{NetworkEmitter.Optimized}}
            """);
        using (writer.Block($"internal static float {StepMethodName}(Span<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int count, float rate)"))
        {
            EmitGroups(writer, model, layers, group, fromZero: true);
            writer.WriteLines("""
                // A loss or a gradient that is not finite would spread into every parameter: change nothing.
                if (!float.IsFinite(loss))
                {
                    return loss;
                }
                float scale = 1f / count;
                """);
            var finite = new List<string>();
            foreach (LayerEmitter layer in layers)
            {
                finite.AddRange(layer.EmitLaneMean(writer));
            }
            writer.WriteLines($"bool finite = {string.Join("\n    && ", finite)};");
            using (writer.Block("if (!finite)"))
            {
                writer.WriteLine("return float.NaN;");
            }
            var updated = new List<LaneValue>();
            foreach (LayerEmitter layer in layers)
            {
                updated.AddRange(layer.EmitLaneSgdUpdate(writer));
            }
            EmitStores(writer, "parameters", "updated", updated);
            writer.WriteLine("return loss;");
        }
    }

    /// <summary>The condition under which whole batches go through the lane form, or null when the network has none.</summary>
    public static string? Condition(NetworkModel model, IReadOnlyList<LayerEmitter> layers)
    {
        int group = GroupSize(model, layers);
        if (group == 0)
        {
            return null;
        }
        int minimum = MinimumSamples(layers, group);
        return "Vector512.IsHardwareAccelerated" + (group == 1 ? "" : $" && count % {group} == 0") + (minimum > group ? $" && count >= {minimum}" : "");
    }

    public const string StepMethodName = "SgdBatchStepInLanes";

    /// <summary>
    /// The set-up of every layer, then the loop over the groups: forward, the loss and the output delta, backward. Declares
    /// <c>loss</c>; returns what each layer reads.
    /// </summary>
    private static LaneInput[] EmitGroups(IndentedWriter writer, NetworkModel model, IReadOnlyList<LayerEmitter> layers, int group, bool fromZero)
    {
        var inputs = new LaneInput[layers.Count];
        inputs[0] = new LaneInput(null, 0, model.InputSize);
        for (int k = 1; k < layers.Count; k++)
        {
            inputs[k] = new LaneInput($"a{k}", layers[k - 1].LaneWidth, layers[k - 1].Layer.OutputSize);
        }
        LayerEmitter output = layers[layers.Count - 1];
        EmitParameterLoads(writer, model, Enumerable.Range(0, layers.Count).SelectMany(k => layers[k].LaneParameterVectors(inputs[k], group)).ToList());
        for (int k = 0; k < layers.Count; k++)
        {
            layers[k].EmitLaneSetUp(writer, fromZero);
        }
        writer.WriteLine("float loss = 0f;");
        using (writer.Block($"for (int first = 0; first < count; first += {group})"))
        {
            writer.WriteLine($"ReadOnlySpan<float> x = inputs.Slice(first * InputSize, {group} * InputSize);");
            writer.WriteLine($"ReadOnlySpan<float> y = targets.Slice(first * OutputSize, {group} * OutputSize);");
            for (int k = 0; k < layers.Count; k++)
            {
                layers[k].EmitLaneForward(writer, inputs[k], group);
            }
            EmitMeanSquaredError(writer, output, model.OutputSize, output.LaneWidth, group);
            for (int k = layers.Count - 1; k >= 0; k--)
            {
                layers[k].EmitLaneBackward(writer, inputs[k], group);
            }
        }
        return inputs;
    }

    /// <summary>
    /// The parameters' lane vectors, from the parameters read 16 at a time (those after the last whole 16 one by one, as
    /// they were stored): each vector is a shuffle of the blocks its lanes come from, merged by masks. The blocks are what
    /// the last step stored whole, so the loads are served from the stores.
    /// </summary>
    private static void EmitParameterLoads(IndentedWriter writer, NetworkModel model, IReadOnlyList<LaneParameters> vectors)
    {
        int whole = model.ParameterCount / LaneCode.Lanes * LaneCode.Lanes;
        writer.WriteLine("// The parameters in lanes, from their floats read 16 at a time: lane w s + j of a layer's vectors holds unit j's for the group's sample s.");
        var blocks = vectors.SelectMany(vector => vector.Lanes).Where(p => p >= 0 && p < whole).Select(p => p / LaneCode.Lanes).Distinct().OrderBy(b => b).ToList();
        foreach (int block in blocks)
        {
            writer.WriteLine($"Vector512<float> block{block} = Vector512.Create(parameters.Slice({block * LaneCode.Lanes}, 16));");
        }
        foreach (LaneParameters vector in vectors)
        {
            var parts = new List<(string Value, List<bool> Lanes)>();
            foreach (int block in vector.Lanes.Where(p => p >= 0 && p < whole).Select(p => p / LaneCode.Lanes).Distinct())
            {
                var from = vector.Lanes.Select(p => p >= 0 && p < whole && p / LaneCode.Lanes == block ? p % LaneCode.Lanes : -1).ToList();
                parts.Add((LaneCode.Shuffle($"block{block}", from), from.Select(index => index >= 0).ToList()));
            }
            if (vector.Lanes.Any(p => p >= whole))
            {
                var from = vector.Lanes.Select(p => p >= whole ? p : -1).ToList();
                parts.Add((LaneCode.Vector(from.Select(p => p >= 0 ? $"parameters[{p}]" : null).ToList()), from.Select(p => p >= 0).ToList()));
            }
            WriteMerged(writer, vector.Name, parts);
        }
    }

    /// <summary>
    /// Declares <paramref name="name"/> as the first part, then takes each further part's lanes into it, one statement
    /// per part: <c>Vector512.ConditionalSelect(mask, part, name)</c>, the mask all ones in the lanes the part fills.
    /// </summary>
    private static void WriteMerged(IndentedWriter writer, string name, IReadOnlyList<(string Value, List<bool> Lanes)> parts)
    {
        writer.WriteLine($"Vector512<float> {name} = {parts[0].Value};");
        foreach ((string value, List<bool> lanes) in parts.Skip(1))
        {
            writer.WriteLine($"{name} = Vector512.ConditionalSelect(Vector512.Create({string.Join(", ", lanes.Select(taken => taken ? "-1" : "0"))}).AsSingle(), {value}, {name});");
        }
    }

    /// <summary>
    /// Stores the values at their parameter indices in <paramref name="span"/>, 16 consecutive indices at a time: each
    /// 16 gathered into one vector (a shuffle of each vector they come from, merged by masks) and stored whole, so that
    /// the wider loads that read them next (the optimizer's, the next step's) are served straight from the store.
    /// </summary>
    private static void EmitStores(IndentedWriter writer, string span, string name, IEnumerable<LaneValue> values)
    {
        var byParameter = values.ToDictionary(value => value.Parameter);
        int total = byParameter.Keys.Max() + 1;
        writer.WriteLine($"// Into {span}, 16 floats at a time.");
        for (int start = 0, chunk = 0; start < total; start += LaneCode.Lanes, chunk++)
        {
            int count = System.Math.Min(LaneCode.Lanes, total - start);
            var lanes = Enumerable.Range(start, count).Select(p => byParameter[p]).ToList();
            string vector = $"{name}{chunk}";
            var parts = lanes.Select(value => value.Vector).Distinct()
                .Select(source => (LaneCode.Shuffle(source, Enumerable.Range(0, LaneCode.Lanes).Select(lane => lane < count && lanes[lane].Vector == source ? lanes[lane].Lane : -1).ToList()),
                    Enumerable.Range(0, LaneCode.Lanes).Select(lane => lane < count && lanes[lane].Vector == source).ToList()))
                .ToList();
            WriteMerged(writer, vector, parts);
            foreach (string store in LaneCode.StoreLanes(vector, count, span, start.ToString()))
            {
                writer.WriteLine(store);
            }
        }
    }

    /// <summary>
    /// ComputeLoss and OutputDelta of mean squared error in lanes: each sample's squared errors summed over its outputs in
    /// their order, times 1/K, added to the loss in sample order; the delta 2 (p - y) / K times the output activation's derivative.
    /// </summary>
    private static void EmitMeanSquaredError(IndentedWriter writer, LayerEmitter output, int outputs, int width, int group)
    {
        int k = output.Number;
        var targets = Enumerable.Range(0, LaneCode.Lanes)
            .Select(lane => lane / width < group && lane % width < outputs ? $"y[{lane / width * outputs + lane % width}]" : null)
            .ToList();
        writer.WriteLine($"Vector512<float> error = a{k} - {LaneCode.Vector(targets)};");
        writer.WriteLine("Vector512<float> squares = error * error;");
        // Lane s of the sum gathers sample s's squares, output after output.
        var sum = new List<string> { LaneCode.Zero };
        for (int unit = 0; unit < outputs; unit++)
        {
            int u = unit;
            sum.Add(LaneCode.Shuffle("squares", Enumerable.Range(0, LaneCode.Lanes).Select(lane => lane < group ? lane * width + u : -1).ToList()));
        }
        writer.WriteLine($"Vector512<float> sampleLoss = ({string.Join(" + ", sum)}) * Vector512.Create(1f / OutputSize);");
        writer.WriteLine($"loss = loss + {string.Join(" + ", Enumerable.Range(0, group).Select(s => $"sampleLoss[{s}]"))};");
        writer.WriteLine($"Vector512<float> delta{k} = Vector512.Create(2f) * error * Vector512.Create(1f / OutputSize);");
        if (ActivationCode.MultiplyByDerivativeInLanes(output.Layer.Activation, $"delta{k}", $"a{k}") is { } derivative)
        {
            writer.WriteLine(derivative);
        }
    }
}
