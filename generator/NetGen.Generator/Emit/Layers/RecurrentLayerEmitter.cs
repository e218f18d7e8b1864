namespace NetGen.Generator;

/// <summary>
/// Emits a recurrent layer (SimpleRnn, LSTM, GRU) with every size a constant. One step of the cell is its own method,
/// <c>Layer{k}Cell</c>, which the forward pass, the backward pass and the streaming <c>Step</c> all call, so that the
/// three compute bitwise the same states. In a training pass the forward step keeps every step's state and gate
/// activations in the pass's <c>saved{k}</c> (<see cref="SavedFloats"/>), and the backward pass reads them there
/// instead of running the sequence again, then goes back through time: the gradients of every step's gate sums first
/// (they read the weights), then the weights' gradients from them (which may write the weights, for the fused SGD step).
/// </summary>
internal sealed class RecurrentLayerEmitter : SampleLoopLayerEmitter
{
    private readonly RecurrentLayerModel _rnn;

    public RecurrentLayerEmitter(RecurrentLayerModel layer, int number, int parameterOffset, bool isOutput)
        : base(layer, number, parameterOffset, isOutput)
    {
        _rnn = layer;
    }

    private int T => _rnn.Steps;

    private int F => _rnn.Features;

    private int U => _rnn.Units;

    /// <summary>The rows of each weight matrix: G units.</summary>
    private int Rows => _rnn.Gates * U;

    /// <summary>The floats of the state the cell carries from step to step: h, then c for an LSTM.</summary>
    public int StateSize => U * (_rnn.HasCellState ? 2 : 1);

    public int CellScratch => _rnn.CellScratch;

    public RecurrentLayerModel Recurrent => _rnn;

    public string CellName => $"Layer{Number}Cell";

    private string WeightIh => $"Layer{Number}WeightIh";

    private string WeightHh => $"Layer{Number}WeightHh";

    private string BiasIh => $"Layer{Number}BiasIh";

    private string BiasHh => $"Layer{Number}BiasHh";

    protected override string BlockConstantName(ParameterBlockModel block) => block.Name switch
    {
        "weight_ih" => WeightIh,
        "weight_hh" => WeightHh,
        "bias_ih" => BiasIh,
        _ => BiasHh,
    };

    protected override string ForwardSummary
        => $"gates {_rnn.GateNames} over {T} steps of {F} features from a zero state, writing "
           + (_rnn.ReturnSequences ? "every step's h." : "the last step's h.");

    public override void EmitForward(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        EmitCell(writer, kernels);
        EmitBackwardHelpers(writer);
        base.EmitForward(writer, kernels);
    }

    private static string Sigmoid(string z) => $"1f / (1f + Exp(-({z})))";

    /// <summary>The floats of the scratch the cell keeps the hidden side's gate sums in (W_hh h + b_hh): one per row.</summary>
    public int SumScratch => Rows;

    /// <summary>
    /// <c>Layer{k}Cell(parameters, x, state, gates, sums)</c>: one step. Reads x and the state (h, then c for an LSTM),
    /// writes the new state in place and leaves in gates what the backward pass needs: the gates' activations (and for a
    /// GRU, W_hn h + b_hn after them). sums is scratch for the hidden side's sums. The input side's sums,
    /// (W_ih x + b_ih), go into gates, then <c>Layer{k}Recur</c> does the rest; a whole sequence computes every step's
    /// input side at once with <c>Layer{k}InputProjections</c> instead, each sum bitwise as the cell computes it.
    /// </summary>
    private void EmitCell(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}, one step of the {_rnn.Kind} cell: updates state (h{(_rnn.HasCellState ? ", then c" : "")}) in place from x; gates keeps the activations of {_rnn.GateNames}{(_rnn is GruLayerModel ? ", then W_hn h + b_hn" : "")}; sums ({SumScratch} floats) is scratch.</summary>");
        writer.WriteLine("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        using (writer.Block($"internal static void {CellName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> state, Span<float> gates, Span<float> sums)"))
        {
            writer.WriteLine($"ref float weightIh = ref MemoryMarshal.GetReference(parameters.Slice({WeightIh}, {Rows * F}));");
            writer.WriteLine($"ref float biasIh = ref MemoryMarshal.GetReference(parameters.Slice({BiasIh}, {Rows}));");
            writer.WriteLine($"ref float input = ref MemoryMarshal.GetReference(x.Slice(0, {F}));");
            writer.WriteLine($"ref float inputSums = ref MemoryMarshal.GetReference(gates.Slice(0, {CellScratch}));");
            writer.WriteLine("// The input side's sums, W_ih x + b_ih, into gates, rows blocked.");
            RecurrentKernelEmitter.EmitAffine(writer, kernels, Rows, F, "weightIh", "biasIh", "input", "inputSums");
            writer.WriteLine($"{RecurName}(parameters, state, gates, sums);");
        }

        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}, W_ih x_t + b_ih for all {T} steps of a sequence: row t of projections (rows of {CellScratch} floats) gets step t's, bitwise as {CellName} computes it.</summary>");
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        using (writer.Block($"internal static void {ProjectionsName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> sequence, Span<float> projections)"))
        {
            writer.WriteLine($"ref float weightIh = ref MemoryMarshal.GetReference(parameters.Slice({WeightIh}, {Rows * F}));");
            writer.WriteLine($"ref float biasIh = ref MemoryMarshal.GetReference(parameters.Slice({BiasIh}, {Rows}));");
            writer.WriteLine($"ref float steps = ref MemoryMarshal.GetReference(sequence.Slice(0, {T * F}));");
            writer.WriteLine($"ref float target = ref MemoryMarshal.GetReference(projections.Slice(0, {T * CellScratch}));");
            if (RecurrentKernelEmitter.ProjectsAllSteps(Rows, F))
            {
                RecurrentKernelEmitter.EmitInputProjections(writer, Rows, F, T, CellScratch, "weightIh", "biasIh", "steps", "target");
            }
            else
            {
                writer.WriteLine("// Rows that do not come in blocks of four: the cell's own kernel, a step at a time.");
                using (writer.Block($"for (int t = 0; t < {T}; t++)"))
                {
                    writer.WriteLine($"ref float input = ref Unsafe.Add(ref steps, t * {F});");
                    writer.WriteLine($"ref float inputSums = ref Unsafe.Add(ref target, t * {CellScratch});");
                    RecurrentKernelEmitter.EmitAffine(writer, kernels, Rows, F, "weightIh", "biasIh", "input", "inputSums");
                }
            }
        }

        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}, the rest of a step once gates holds W_ih x + b_ih: the hidden side's sums, the nonlinearities and the state update, in place.</summary>");
        writer.WriteLine("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        using (writer.Block($"internal static void {RecurName}(ReadOnlySpan<float> parameters, Span<float> state, Span<float> gates, Span<float> sums)"))
        {
            writer.WriteLine($"ref float weightHh = ref MemoryMarshal.GetReference(parameters.Slice({WeightHh}, {Rows * U}));");
            writer.WriteLine($"ref float biasHh = ref MemoryMarshal.GetReference(parameters.Slice({BiasHh}, {Rows}));");
            writer.WriteLine($"ref float h = ref MemoryMarshal.GetReference(state.Slice(0, {StateSize}));");
            writer.WriteLine($"ref float inputSums = ref MemoryMarshal.GetReference(gates.Slice(0, {CellScratch}));");
            writer.WriteLine($"ref float hiddenSums = ref MemoryMarshal.GetReference(sums.Slice(0, {Rows}));");
            writer.WriteLine("// Every gate's hidden side before h changes: W_hh h + b_hh into sums, rows blocked.");
            RecurrentKernelEmitter.EmitAffineSixteenRows(writer, kernels, Rows, U, "weightHh", "biasHh", "h", "hiddenSums");
            writer.WriteLine("// The nonlinearities and the state update, unit by unit (as many units at a time as the hardware has).");
            switch (_rnn)
            {
                case SimpleRnnLayerModel simple:
                    using (writer.Block($"for (int k = 0; k < {U}; k++)"))
                    {
                        writer.WriteLine($"float a = {ActivationCode.Apply(simple.CellActivation, "gates[k] + sums[k]")};");
                        writer.WriteLine("gates[k] = a;");
                        writer.WriteLine("state[k] = a;");
                    }
                    break;
                case LstmLayerModel:
                    EmitLstmUpdate(writer);
                    break;
                default:
                    EmitGruUpdate(writer);
                    break;
            }
        }
    }

    private string RecurName => $"Layer{Number}Recur";

    private string ProjectionsName => $"Layer{Number}InputProjections";

    private void EmitLstmUpdate(IndentedWriter writer)
    {
        RecurrentKernelEmitter.EmitUnitLoop(writer, U, type =>
        {
            string Sum(int gate) => $"{RecurrentKernelEmitter.Load(type, "inputSums", gate * U)} + {RecurrentKernelEmitter.Load(type, "hiddenSums", gate * U)}";
            writer.WriteLine($"{type}<float> i = Sigmoid({Sum(0)});");
            writer.WriteLine($"{type}<float> f = Sigmoid({Sum(1)});");
            writer.WriteLine($"{type}<float> g = Tanh({Sum(2)});");
            writer.WriteLine($"{type}<float> o = Sigmoid({Sum(3)});");
            writer.WriteLine($"{type}<float> c = f * {RecurrentKernelEmitter.Load(type, "h", U)} + i * g;");
            writer.WriteLine(RecurrentKernelEmitter.Store("i", "inputSums", 0));
            writer.WriteLine(RecurrentKernelEmitter.Store("f", "inputSums", U));
            writer.WriteLine(RecurrentKernelEmitter.Store("g", "inputSums", 2 * U));
            writer.WriteLine(RecurrentKernelEmitter.Store("o", "inputSums", 3 * U));
            writer.WriteLine(RecurrentKernelEmitter.Store("c", "h", U));
            writer.WriteLine(RecurrentKernelEmitter.Store("o * Tanh(c)", "h", 0));
        }, () =>
        {
            string Sum(int gate) => $"{RecurrentKernelEmitter.At("inputSums", gate * U)} + {RecurrentKernelEmitter.At("hiddenSums", gate * U)}";
            writer.WriteLine($"float i = {Sigmoid(Sum(0))};");
            writer.WriteLine($"float f = {Sigmoid(Sum(1))};");
            writer.WriteLine($"float g = Tanh({Sum(2)});");
            writer.WriteLine($"float o = {Sigmoid(Sum(3))};");
            writer.WriteLine($"float c = f * {RecurrentKernelEmitter.At("h", U)} + i * g;");
            writer.WriteLine($"{RecurrentKernelEmitter.At("inputSums", 0)} = i;");
            writer.WriteLine($"{RecurrentKernelEmitter.At("inputSums", U)} = f;");
            writer.WriteLine($"{RecurrentKernelEmitter.At("inputSums", 2 * U)} = g;");
            writer.WriteLine($"{RecurrentKernelEmitter.At("inputSums", 3 * U)} = o;");
            writer.WriteLine($"{RecurrentKernelEmitter.At("h", U)} = c;");
            writer.WriteLine($"{RecurrentKernelEmitter.At("h", 0)} = o * Tanh(c);");
        });
    }

    private void EmitGruUpdate(IndentedWriter writer)
    {
        RecurrentKernelEmitter.EmitUnitLoop(writer, U, type =>
        {
            string Sum(int gate) => $"{RecurrentKernelEmitter.Load(type, "inputSums", gate * U)} + {RecurrentKernelEmitter.Load(type, "hiddenSums", gate * U)}";
            writer.WriteLine($"{type}<float> r = Sigmoid({Sum(0)});");
            writer.WriteLine($"{type}<float> z = Sigmoid({Sum(1)});");
            writer.WriteLine($"{type}<float> hiddenN = {RecurrentKernelEmitter.Load(type, "hiddenSums", 2 * U)};");
            writer.WriteLine($"{type}<float> n = Tanh({RecurrentKernelEmitter.Load(type, "inputSums", 2 * U)} + r * hiddenN);");
            writer.WriteLine(RecurrentKernelEmitter.Store("r", "inputSums", 0));
            writer.WriteLine(RecurrentKernelEmitter.Store("z", "inputSums", U));
            writer.WriteLine(RecurrentKernelEmitter.Store("n", "inputSums", 2 * U));
            writer.WriteLine(RecurrentKernelEmitter.Store("hiddenN", "inputSums", 3 * U));
            writer.WriteLine(RecurrentKernelEmitter.Store($"({type}<float>.One - z) * n + z * {RecurrentKernelEmitter.Load(type, "h", 0)}", "h", 0));
        }, () =>
        {
            string Sum(int gate) => $"{RecurrentKernelEmitter.At("inputSums", gate * U)} + {RecurrentKernelEmitter.At("hiddenSums", gate * U)}";
            writer.WriteLine($"float r = {Sigmoid(Sum(0))};");
            writer.WriteLine($"float z = {Sigmoid(Sum(1))};");
            writer.WriteLine($"float hiddenN = {RecurrentKernelEmitter.At("hiddenSums", 2 * U)};");
            writer.WriteLine($"float n = Tanh({RecurrentKernelEmitter.At("inputSums", 2 * U)} + r * hiddenN);");
            writer.WriteLine($"{RecurrentKernelEmitter.At("inputSums", 0)} = r;");
            writer.WriteLine($"{RecurrentKernelEmitter.At("inputSums", U)} = z;");
            writer.WriteLine($"{RecurrentKernelEmitter.At("inputSums", 2 * U)} = n;");
            writer.WriteLine($"{RecurrentKernelEmitter.At("inputSums", 3 * U)} = hiddenN;");
            writer.WriteLine($"{RecurrentKernelEmitter.At("h", 0)} = (1f - z) * n + z * {RecurrentKernelEmitter.At("h", 0)};");
        });
    }

    protected override void EmitForwardBody(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        writer.WriteLine($"Span<float> state = stackalloc float[{StateSize}];");
        writer.WriteLine("state.Clear();");
        writer.WriteLine($"Span<float> sums = stackalloc float[{SumScratch}];");
        writer.WriteLine("// Every step's input side at once, then the recurrence step by step.");
        writer.WriteLine($"Span<float> cells = stackalloc float[{T * CellScratch}];");
        writer.WriteLine($"{ProjectionsName}(parameters, input, cells);");
        using (writer.Block($"for (int t = 0; t < {T}; t++)"))
        {
            writer.WriteLine($"{RecurName}(parameters, state, cells.Slice(t * {CellScratch}, {CellScratch}), sums);");
            if (_rnn.ReturnSequences)
            {
                writer.WriteLine($"state.Slice(0, {U}).CopyTo(output.Slice(t * {U}, {U}));");
            }
        }
        if (!_rnn.ReturnSequences)
        {
            writer.WriteLine($"state.Slice(0, {U}).CopyTo(output);");
        }
    }

    public override int SavedFloats => _rnn.SavedFloats;

    /// <summary>The views of saved: every step's state (h, then c for an LSTM), every step's gates, and an LSTM's every h before its step.</summary>
    private void EmitSavedSlices(IndentedWriter writer, string span)
    {
        int s = StateSize;
        writer.WriteLine($"{span}<float> states = saved.Slice(0, {(T + 1) * s});");
        writer.WriteLine($"{span}<float> cells = saved.Slice({(T + 1) * s}, {T * CellScratch});");
        if (_rnn.HasCellState)
        {
            writer.WriteLine($"{span}<float> hiddens = saved.Slice({(T + 1) * s + T * CellScratch}, {T * U});");
        }
    }

    protected override void EmitSavingForwardBody(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        int s = StateSize;
        writer.WriteLine($"// Every step's state and gates go into saved, for the backward pass; each step is the one {ForwardName} computes.");
        EmitSavedSlices(writer, "Span");
        writer.WriteLine($"states.Slice(0, {s}).Clear();");
        writer.WriteLine($"Span<float> sums = stackalloc float[{SumScratch}];");
        writer.WriteLine($"{ProjectionsName}(parameters, input, cells);");
        using (writer.Block($"for (int t = 0; t < {T}; t++)"))
        {
            writer.WriteLine($"states.Slice(t * {s}, {s}).CopyTo(states.Slice((t + 1) * {s}, {s}));");
            if (_rnn.HasCellState)
            {
                writer.WriteLine($"states.Slice(t * {s}, {U}).CopyTo(hiddens.Slice(t * {U}, {U}));");
            }
            writer.WriteLine($"{RecurName}(parameters, states.Slice((t + 1) * {s}, {s}), cells.Slice(t * {CellScratch}, {CellScratch}), sums);");
            if (_rnn.ReturnSequences)
            {
                writer.WriteLine($"states.Slice((t + 1) * {s}, {U}).CopyTo(output.Slice(t * {U}, {U}));");
            }
        }
        if (!_rnn.ReturnSequences)
        {
            writer.WriteLine($"states.Slice({T * s}, {U}).CopyTo(output);");
        }
    }

    protected override void EmitBackwardBody(IndentedWriter writer, VectorKernelEmitter kernels, ParameterGradient parameterGradient, bool writeInputGradient)
    {
        int s = StateSize;
        int gradientStride = _rnn.GateGradientScratch;
        bool gru = _rnn is GruLayerModel;
        writer.WriteLine($"ReadOnlySpan<float> weightIh = parameters.Slice({WeightIh}, {Rows * F});");
        writer.WriteLine($"ReadOnlySpan<float> weightHh = parameters.Slice({WeightHh}, {Rows * U});");
        writer.WriteLine("// What the training pass's forward step kept: every step's state (states[0] is the zero state) and gates.");
        EmitSavedSlices(writer, "ReadOnlySpan");
        writer.WriteLine();
        writer.WriteLine($"// Back through time: gateGradients[t] holds dL/d(each gate's sum) at step t{(gru ? " (r, z, n on the input side, then W_hn h + b_hn)" : "")}.");
        writer.WriteLine($"Span<float> gateGradients = stackalloc float[{T * gradientStride}];");
        writer.WriteLine($"Span<float> dh = stackalloc float[{U}];");
        writer.WriteLine($"Span<float> dhPrevious = stackalloc float[{U}];");
        if (_rnn.HasCellState)
        {
            writer.WriteLine($"Span<float> dc = stackalloc float[{U}];");
            writer.WriteLine("dc.Clear();");
        }
        if (_rnn.ReturnSequences)
        {
            writer.WriteLine("// Every step's h is an output: dL/dh(t) is delta's row t plus what comes back from step t + 1.");
            writer.WriteLine("dh.Clear();");
        }
        else
        {
            writer.WriteLine("// Only the last step's h is the output: dL/dh starts from delta there and from the recurrence before.");
            writer.WriteLine("delta.CopyTo(dh);");
        }
        if (writeInputGradient)
        {
            writer.WriteLine("inputGradient.Clear();");
        }
        using (writer.Block($"for (int t = {T - 1}; t >= 0; t--)"))
        {
            writer.WriteLine($"ref float gates = ref MemoryMarshal.GetReference(cells.Slice(t * {CellScratch}, {CellScratch}));");
            writer.WriteLine($"ref float dz = ref MemoryMarshal.GetReference(gateGradients.Slice(t * {gradientStride}, {gradientStride}));");
            writer.WriteLine($"// The state before the step, then the state after it.");
            writer.WriteLine($"ref float state = ref MemoryMarshal.GetReference(states.Slice(t * {s}, {2 * s}));");
            writer.WriteLine("ref float hiddenGradient = ref MemoryMarshal.GetReference(dh);");
            writer.WriteLine("ref float previousGradient = ref MemoryMarshal.GetReference(dhPrevious);");
            if (_rnn.HasCellState)
            {
                writer.WriteLine("ref float cellGradient = ref MemoryMarshal.GetReference(dc);");
            }
            if (_rnn.ReturnSequences)
            {
                writer.WriteLine($"ref float outputGradient = ref MemoryMarshal.GetReference(delta.Slice(t * {U}, {U}));");
            }
            writer.WriteLine("// The gates' derivatives, as many units at a time as the hardware has.");
            EmitStepGradient(writer);
            writer.WriteLine("// dL/dh(t-1) through the recurrent weights: W_hh^T times the hidden side's gate gradients.");
            writer.WriteLine($"{HiddenTransposedName}(ref MemoryMarshal.GetReference(weightHh), ref dz, ref previousGradient);");
            if (writeInputGradient)
            {
                writer.WriteLine("// dL/dx(t) = W_ih^T times the input side's gate gradients.");
                writer.WriteLine($"{InputTransposedName}(ref MemoryMarshal.GetReference(weightIh), ref dz, ref MemoryMarshal.GetReference(inputGradient.Slice(t * {F}, {F})));");
            }
            writer.WriteLine("dhPrevious.CopyTo(dh);");
        }
        if (parameterGradient == ParameterGradient.None)
        {
            return;
        }
        bool descend = parameterGradient == ParameterGradient.Descend;
        writer.WriteLine();
        writer.WriteLine(descend
            ? "// Every gate gradient is known: now each parameter's gradient, summed over the steps, and the step down it."
            : "// Each parameter's gradient, summed over the steps: dW_ih[j] = sum_t dz_t[j] x_t, dW_hh[j] = sum_t dz_t[j] h_(t-1), db = sum_t dz_t.");
        string target = descend ? "parameters" : "gradient";
        writer.WriteLine($"ref float weightIhTarget = ref MemoryMarshal.GetReference({target}.Slice({WeightIh}, {Rows * F}));");
        writer.WriteLine($"ref float weightHhTarget = ref MemoryMarshal.GetReference({target}.Slice({WeightHh}, {Rows * U}));");
        writer.WriteLine($"ref float biasIhTarget = ref MemoryMarshal.GetReference({target}.Slice({BiasIh}, {Rows}));");
        writer.WriteLine($"ref float biasHhTarget = ref MemoryMarshal.GetReference({target}.Slice({BiasHh}, {Rows}));");
        writer.WriteLine("ref float gradients = ref MemoryMarshal.GetReference(gateGradients);");
        writer.WriteLine("ref float inputs = ref MemoryMarshal.GetReference(input);");
        writer.WriteLine($"ref float previousHiddens = ref MemoryMarshal.GetReference({(_rnn.HasCellState ? "hiddens" : "states")});");
        if (descend)
        {
            writer.WriteLine($"Span<float> block = stackalloc float[{VectorKernelEmitter.RowBlock * System.Math.Max(F, U)}];");
        }
        writer.WriteLine("// The biases: each gate gradient summed over the steps.");
        EmitBiasGradient(writer, "biasIhTarget", InputRows, descend);
        EmitBiasGradient(writer, "biasHhTarget", HiddenRows, descend);
        writer.WriteLine($"// The weights: sum over the steps of the outer products, {VectorKernelEmitter.RowBlock} rows at a time kept in registers over all the steps.");
        EmitWeightGradient(writer, kernels, "weightIhTarget", F, "inputs", InputRows, descend);
        EmitWeightGradient(writer, kernels, "weightHhTarget", U, "previousHiddens", HiddenRows, descend);
    }

    private string HiddenTransposedName => $"Layer{Number}HiddenGradientBack";

    private string InputTransposedName => $"Layer{Number}InputGradientBack";

    /// <summary>The input side's rows, one section: row j's gate gradient is dz[j].</summary>
    private (int Start, int End, int Offset)[] InputRows => new[] { (0, Rows, 0) };

    /// <summary>
    /// The hidden side's rows (weight_hh's and bias_hh's), each section with where its gate gradient sits past the row's
    /// index: all of them at 0, except a GRU's n rows, whose hidden side (W_hn h + b_hn) has its own gradient after the
    /// input side's three.
    /// </summary>
    private (int Start, int End, int Offset)[] HiddenRows
        => _rnn is GruLayerModel ? new[] { (0, 2 * U, 0), (2 * U, 3 * U, U) } : new[] { (0, Rows, 0) };

    /// <summary>The two transposed products the backward pass calls at every step, written once for the layer.</summary>
    private void EmitBackwardHelpers(IndentedWriter writer)
    {
        RecurrentKernelEmitter.EmitTransposedMultiplyAdd(writer, HiddenTransposedName, U, $"Layer {Number}: dL/dh(t-1) += W_hh^T dz, the hidden side's rows", HiddenRows);
        RecurrentKernelEmitter.EmitTransposedMultiplyAdd(writer, InputTransposedName, F, $"Layer {Number}: dL/dx(t) += W_ih^T dz, the input side's rows", InputRows);
    }

    /// <summary>target[j] += (or, descending, -= learningRate times) the sum over the steps of the rows' gate gradients.</summary>
    private void EmitBiasGradient(IndentedWriter writer, string target, (int Start, int End, int Offset)[] sections, bool descend)
    {
        int stride = _rnn.GateGradientScratch;
        foreach (var (start, end, offset) in sections)
        {
            using (writer.Block())
            {
                writer.WriteLine($"ref float biasRows = ref Unsafe.Add(ref {target}, {start});");
                writer.WriteLine($"ref float rowGradients = ref Unsafe.Add(ref gradients, {start + offset});");
                RecurrentKernelEmitter.EmitUnitLoop(writer, end - start, type =>
                {
                    writer.WriteLine($"{type}<float> sum = {type}<float>.Zero;");
                    using (writer.Block($"for (int t = 0; t < {T}; t++)"))
                    {
                        writer.WriteLine($"sum += {type}.LoadUnsafe(ref rowGradients, (nuint)(t * {stride}) + k);");
                    }
                    string value = descend
                        ? $"{RecurrentKernelEmitter.Load(type, "biasRows", 0)} - {type}.Create(learningRate) * sum"
                        : $"{RecurrentKernelEmitter.Load(type, "biasRows", 0)} + sum";
                    writer.WriteLine(RecurrentKernelEmitter.Store(value, "biasRows", 0));
                }, () =>
                {
                    writer.WriteLine("float sum = 0f;");
                    using (writer.Block($"for (int t = 0; t < {T}; t++)"))
                    {
                        writer.WriteLine($"sum += Unsafe.Add(ref rowGradients, (nuint)(t * {stride}) + k);");
                    }
                    writer.WriteLine($"{RecurrentKernelEmitter.At("biasRows", 0)} {(descend ? "-= learningRate * " : "+= ")}sum;");
                });
            }
        }
    }

    /// <summary>
    /// target row j += (or, descending, -= learningRate times) sum_t dz_t[j + offset] x_t, the x_t being rows of
    /// <paramref name="length"/> floats at <paramref name="vectors"/>: blocks of rows by the outer-product kernel, then
    /// the rows left one at a time.
    /// </summary>
    private void EmitWeightGradient(IndentedWriter writer, VectorKernelEmitter kernels, string target, int length, string vectors, (int Start, int End, int Offset)[] sections, bool descend)
    {
        int stride = _rnn.GateGradientScratch;
        int block = VectorKernelEmitter.RowBlock;
        foreach (var (start, end, offset) in sections)
        {
            int blockEnd = start + (end - start) / block * block;
            if (blockEnd > start)
            {
                using (writer.Block($"for (int j = {start}; j < {blockEnd}; j += {block})"))
                {
                    string gradients = $"ref Unsafe.Add(ref gradients, j{Plus(offset)})";
                    if (descend)
                    {
                        writer.WriteLine($"{kernels.AccumulateOuterRows(length)}(ref MemoryMarshal.GetReference(block), ref {vectors}, {gradients}, {stride}, {T}, overwrite: true);");
                        using (writer.Block($"for (int i = 0; i < {block * length}; i++)"))
                        {
                            writer.WriteLine($"Unsafe.Add(ref {target}, j * {length} + i) -= learningRate * block[i];");
                        }
                    }
                    else
                    {
                        writer.WriteLine($"{kernels.AccumulateOuterRows(length)}(ref Unsafe.Add(ref {target}, j * {length}), ref {vectors}, {gradients}, {stride}, {T}, overwrite: false);");
                    }
                }
            }
            if (blockEnd < end)
            {
                using (writer.Block($"for (int j = {blockEnd}; j < {end}; j++)"))
                {
                    string row = descend ? "ref MemoryMarshal.GetReference(block)" : $"ref Unsafe.Add(ref {target}, j * {length})";
                    if (descend)
                    {
                        writer.WriteLine($"block.Slice(0, {length}).Clear();");
                    }
                    using (writer.Block($"for (int t = 0; t < {T}; t++)"))
                    {
                        writer.WriteLine($"{kernels.MultiplyAdd(length)}(Unsafe.Add(ref gradients, t * {stride} + j{Plus(offset)}), ref Unsafe.Add(ref {vectors}, t * {length}), {row});");
                    }
                    if (descend)
                    {
                        using (writer.Block($"for (int i = 0; i < {length}; i++)"))
                        {
                            writer.WriteLine($"Unsafe.Add(ref {target}, j * {length} + i) -= learningRate * block[i];");
                        }
                    }
                }
            }
        }
    }

    private static string Plus(int offset) => offset == 0 ? "" : $" + {offset}";

    /// <summary>
    /// Step t's gate gradients dz from hiddenGradient = dL/dh(t) (plus outputGradient, delta's row t, when every step is
    /// an output; and cellGradient = dL/dc(t) for an LSTM, which becomes dL/dc(t-1)), and previousGradient set to the
    /// part of dL/dh(t-1) that does not go through W_hh. state holds the state before the step, then after it.
    /// </summary>
    private void EmitStepGradient(IndentedWriter writer)
    {
        int s = StateSize;
        RecurrentKernelEmitter.EmitUnitLoop(writer, U, type =>
        {
            string V(string name, int offset) => RecurrentKernelEmitter.Load(type, name, offset);
            string one = $"{type}<float>.One";
            writer.WriteLine($"{type}<float> dhk = {V("hiddenGradient", 0)}{(_rnn.ReturnSequences ? $" + {V("outputGradient", 0)}" : "")};");
            switch (_rnn)
            {
                case SimpleRnnLayerModel simple:
                    writer.WriteLine($"{type}<float> a = {V("gates", 0)};");
                    writer.WriteLine(RecurrentKernelEmitter.Store(simple.CellActivation == Activation.ReLU
                        ? $"{type}.ConditionalSelect({type}.GreaterThan(a, {type}<float>.Zero), dhk, {type}<float>.Zero)"
                        : $"dhk * ({one} - a * a)", "dz", 0));
                    writer.WriteLine(RecurrentKernelEmitter.Store($"{type}<float>.Zero", "previousGradient", 0));
                    break;
                case LstmLayerModel:
                    writer.WriteLine($"{type}<float> i = {V("gates", 0)}, f = {V("gates", U)}, g = {V("gates", 2 * U)}, o = {V("gates", 3 * U)};");
                    writer.WriteLine($"{type}<float> tanhC = Tanh({V("state", s + U)});");
                    writer.WriteLine($"{type}<float> dcTotal = {V("cellGradient", 0)} + dhk * o * ({one} - tanhC * tanhC);");
                    writer.WriteLine(RecurrentKernelEmitter.Store($"dcTotal * g * i * ({one} - i)", "dz", 0));
                    writer.WriteLine(RecurrentKernelEmitter.Store($"dcTotal * {V("state", U)} * f * ({one} - f)", "dz", U));
                    writer.WriteLine(RecurrentKernelEmitter.Store($"dcTotal * i * ({one} - g * g)", "dz", 2 * U));
                    writer.WriteLine(RecurrentKernelEmitter.Store($"dhk * tanhC * o * ({one} - o)", "dz", 3 * U));
                    writer.WriteLine(RecurrentKernelEmitter.Store("dcTotal * f", "cellGradient", 0));
                    writer.WriteLine(RecurrentKernelEmitter.Store($"{type}<float>.Zero", "previousGradient", 0));
                    break;
                default:
                    writer.WriteLine($"{type}<float> r = {V("gates", 0)}, z = {V("gates", U)}, n = {V("gates", 2 * U)}, hiddenN = {V("gates", 3 * U)};");
                    writer.WriteLine($"{type}<float> dn = dhk * ({one} - z) * ({one} - n * n);");
                    writer.WriteLine(RecurrentKernelEmitter.Store($"dn * hiddenN * r * ({one} - r)", "dz", 0));
                    writer.WriteLine(RecurrentKernelEmitter.Store($"dhk * ({V("state", 0)} - n) * z * ({one} - z)", "dz", U));
                    writer.WriteLine(RecurrentKernelEmitter.Store("dn", "dz", 2 * U));
                    writer.WriteLine(RecurrentKernelEmitter.Store("dn * r", "dz", 3 * U));
                    writer.WriteLine(RecurrentKernelEmitter.Store("dhk * z", "previousGradient", 0));
                    break;
            }
        }, () =>
        {
            string A(string name, int offset) => RecurrentKernelEmitter.At(name, offset);
            writer.WriteLine($"float dhk = {A("hiddenGradient", 0)}{(_rnn.ReturnSequences ? $" + {A("outputGradient", 0)}" : "")};");
            switch (_rnn)
            {
                case SimpleRnnLayerModel simple:
                    writer.WriteLine($"float a = {A("gates", 0)};");
                    writer.WriteLine(simple.CellActivation == Activation.ReLU
                        ? $"{A("dz", 0)} = a > 0f ? dhk : 0f;"
                        : $"{A("dz", 0)} = dhk * (1f - a * a);");
                    writer.WriteLine($"{A("previousGradient", 0)} = 0f;");
                    break;
                case LstmLayerModel:
                    writer.WriteLine($"float i = {A("gates", 0)}, f = {A("gates", U)}, g = {A("gates", 2 * U)}, o = {A("gates", 3 * U)};");
                    writer.WriteLine($"float tanhC = Tanh({A("state", s + U)});");
                    writer.WriteLine($"float dcTotal = {A("cellGradient", 0)} + dhk * o * (1f - tanhC * tanhC);");
                    writer.WriteLine($"{A("dz", 0)} = dcTotal * g * i * (1f - i);");
                    writer.WriteLine($"{A("dz", U)} = dcTotal * {A("state", U)} * f * (1f - f);");
                    writer.WriteLine($"{A("dz", 2 * U)} = dcTotal * i * (1f - g * g);");
                    writer.WriteLine($"{A("dz", 3 * U)} = dhk * tanhC * o * (1f - o);");
                    writer.WriteLine($"{A("cellGradient", 0)} = dcTotal * f;");
                    writer.WriteLine($"{A("previousGradient", 0)} = 0f;");
                    break;
                default:
                    writer.WriteLine($"float r = {A("gates", 0)}, z = {A("gates", U)}, n = {A("gates", 2 * U)}, hiddenN = {A("gates", 3 * U)};");
                    writer.WriteLine("float dn = dhk * (1f - z) * (1f - n * n);");
                    writer.WriteLine($"{A("dz", 0)} = dn * hiddenN * r * (1f - r);");
                    writer.WriteLine($"{A("dz", U)} = dhk * ({A("state", 0)} - n) * z * (1f - z);");
                    writer.WriteLine($"{A("dz", 2 * U)} = dn;");
                    writer.WriteLine($"{A("dz", 3 * U)} = dn * r;");
                    writer.WriteLine($"{A("previousGradient", 0)} = dhk * z;");
                    break;
            }
        });
    }
}
