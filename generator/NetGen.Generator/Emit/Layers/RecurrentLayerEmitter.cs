namespace NetGen.Generator;

/// <summary>
/// Emits a recurrent layer (SimpleRnn, LSTM, GRU) with every size a constant. One step of the cell is its own method,
/// <c>Layer{k}Cell</c>, which the forward pass, the backward pass and the streaming <c>Step</c> all call, so that the
/// three compute bitwise the same states. The backward pass runs the cell over the sequence again, keeping every
/// step's state and gate activations on the stack, then goes back through time: the gradients of every step's gate
/// sums first (they read the weights), then the weights' gradients from them (which may write the weights, for the
/// fused SGD step).
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
        base.EmitForward(writer, kernels);
    }

    private static string Sigmoid(string z) => $"1f / (1f + Exp(-({z})))";

    /// <summary>The floats of the scratch the cell keeps the hidden side's gate sums in (W_hh h + b_hh): one per row.</summary>
    public int SumScratch => Rows;

    /// <summary>
    /// <c>Layer{k}Cell(parameters, x, state, gates, sums)</c>: one step. Reads x and the state (h, then c for an LSTM),
    /// writes the new state in place and leaves in gates what the backward pass needs: the gates' activations (and for a
    /// GRU, W_hn h + b_hn after them). sums is scratch for the hidden side's sums. Every gate's sums are computed
    /// before h changes, (W_ih x + b_ih) into gates and (W_hh h + b_hh) into sums, then added as PyTorch adds them.
    /// </summary>
    private void EmitCell(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}, one step of the {_rnn.Kind} cell: updates state (h{(_rnn.HasCellState ? ", then c" : "")}) in place from x; gates keeps the activations of {_rnn.GateNames}{(_rnn is GruLayerModel ? ", then W_hn h + b_hn" : "")}; sums ({SumScratch} floats) is scratch.</summary>");
        writer.WriteLine("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        using (writer.Block($"internal static void {CellName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> state, Span<float> gates, Span<float> sums)"))
        {
            writer.WriteLine($"ref float weightIh = ref MemoryMarshal.GetReference(parameters.Slice({WeightIh}, {Rows * F}));");
            writer.WriteLine($"ref float weightHh = ref MemoryMarshal.GetReference(parameters.Slice({WeightHh}, {Rows * U}));");
            writer.WriteLine($"ref float biasIh = ref MemoryMarshal.GetReference(parameters.Slice({BiasIh}, {Rows}));");
            writer.WriteLine($"ref float biasHh = ref MemoryMarshal.GetReference(parameters.Slice({BiasHh}, {Rows}));");
            writer.WriteLine($"ref float input = ref MemoryMarshal.GetReference(x.Slice(0, {F}));");
            writer.WriteLine($"ref float h = ref MemoryMarshal.GetReference(state.Slice(0, {StateSize}));");
            writer.WriteLine($"ref float inputSums = ref MemoryMarshal.GetReference(gates.Slice(0, {CellScratch}));");
            writer.WriteLine($"ref float hiddenSums = ref MemoryMarshal.GetReference(sums.Slice(0, {Rows}));");
            writer.WriteLine("// Every gate's sums before h changes: W_ih x + b_ih into gates, W_hh h + b_hh into sums, rows blocked.");
            RecurrentKernelEmitter.EmitAffine(writer, kernels, Rows, F, "weightIh", "biasIh", "input", "inputSums");
            RecurrentKernelEmitter.EmitAffine(writer, kernels, Rows, U, "weightHh", "biasHh", "h", "hiddenSums");
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
        writer.WriteLine($"Span<float> gates = stackalloc float[{CellScratch}];");
        writer.WriteLine($"Span<float> sums = stackalloc float[{SumScratch}];");
        using (writer.Block($"for (int t = 0; t < {T}; t++)"))
        {
            writer.WriteLine($"{CellName}(parameters, input.Slice(t * {F}, {F}), state, gates, sums);");
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

    protected override void EmitBackwardBody(IndentedWriter writer, VectorKernelEmitter kernels, ParameterGradient parameterGradient, bool writeInputGradient)
    {
        int s = StateSize;
        int gradientStride = _rnn.GateGradientScratch;
        bool gru = _rnn is GruLayerModel;
        writer.WriteLine($"ReadOnlySpan<float> weightIh = parameters.Slice({WeightIh}, {Rows * F});");
        writer.WriteLine($"ReadOnlySpan<float> weightHh = parameters.Slice({WeightHh}, {Rows * U});");
        writer.WriteLine("// The forward pass again, keeping every step's state (states[0] is the zero state) and gates.");
        writer.WriteLine($"Span<float> states = stackalloc float[{(T + 1) * s}];");
        writer.WriteLine($"states.Slice(0, {s}).Clear();");
        writer.WriteLine($"Span<float> cells = stackalloc float[{T * CellScratch}];");
        writer.WriteLine($"Span<float> sums = stackalloc float[{SumScratch}];");
        using (writer.Block($"for (int t = 0; t < {T}; t++)"))
        {
            writer.WriteLine($"states.Slice(t * {s}, {s}).CopyTo(states.Slice((t + 1) * {s}, {s}));");
            writer.WriteLine($"{CellName}(parameters, input.Slice(t * {F}, {F}), states.Slice((t + 1) * {s}, {s}), cells.Slice(t * {CellScratch}, {CellScratch}), sums);");
        }
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
            if (_rnn.ReturnSequences)
            {
                using (writer.Block($"for (int k = 0; k < {U}; k++)"))
                {
                    writer.WriteLine($"dh[k] += delta[t * {U} + k];");
                }
            }
            writer.WriteLine($"ReadOnlySpan<float> gates = cells.Slice(t * {CellScratch}, {CellScratch});");
            writer.WriteLine($"Span<float> dz = gateGradients.Slice(t * {gradientStride}, {gradientStride});");
            EmitStepGradient(writer);
            writer.WriteLine("// dL/dh(t-1) through the recurrent weights: W_hh^T times the hidden side's gate gradients.");
            EmitHiddenRows(writer, (rows, offset) =>
            {
                using (writer.Block($"for (int j = {rows.Start}; j < {rows.End}; j++)"))
                {
                    writer.WriteLine($"{kernels.MultiplyAdd(U)}(dz[j{Plus(offset)}], ref Unsafe.AsRef(in weightHh[j * {U}]), ref dhPrevious[0]);");
                }
            });
            if (writeInputGradient)
            {
                writer.WriteLine("// dL/dx(t) = W_ih^T times the input side's gate gradients.");
                writer.WriteLine($"Span<float> stepGradient = inputGradient.Slice(t * {F}, {F});");
                using (writer.Block($"for (int j = 0; j < {Rows}; j++)"))
                {
                    writer.WriteLine($"{kernels.MultiplyAdd(F)}(dz[j], ref Unsafe.AsRef(in weightIh[j * {F}]), ref stepGradient[0]);");
                }
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
        writer.WriteLine($"Span<float> weightIhTarget = {target}.Slice({WeightIh}, {Rows * F});");
        writer.WriteLine($"Span<float> weightHhTarget = {target}.Slice({WeightHh}, {Rows * U});");
        writer.WriteLine($"Span<float> biasIhTarget = {target}.Slice({BiasIh}, {Rows});");
        writer.WriteLine($"Span<float> biasHhTarget = {target}.Slice({BiasHh}, {Rows});");
        writer.WriteLine($"Span<float> rowSum = stackalloc float[{System.Math.Max(F, U)}];");
        string apply = descend ? "-= learningRate * " : "+= ";
        using (writer.Block($"for (int j = 0; j < {Rows}; j++)"))
        {
            writer.WriteLine(gru ? $"int hiddenRow = j < {2 * U} ? j : j + {U};" : "int hiddenRow = j;");
            writer.WriteLine("float biasInputSum = 0f;");
            writer.WriteLine("float biasHiddenSum = 0f;");
            writer.WriteLine($"rowSum.Slice(0, {F}).Clear();");
            using (writer.Block($"for (int t = 0; t < {T}; t++)"))
            {
                writer.WriteLine($"float gradientIh = gateGradients[t * {gradientStride} + j];");
                writer.WriteLine("biasInputSum += gradientIh;");
                writer.WriteLine($"biasHiddenSum += gateGradients[t * {gradientStride} + hiddenRow];");
                writer.WriteLine($"{kernels.MultiplyAdd(F)}(gradientIh, ref Unsafe.AsRef(in input[t * {F}]), ref rowSum[0]);");
            }
            writer.WriteLine($"biasIhTarget[j] {apply}biasInputSum;");
            writer.WriteLine($"biasHhTarget[j] {apply}biasHiddenSum;");
            using (writer.Block($"for (int i = 0; i < {F}; i++)"))
            {
                writer.WriteLine($"weightIhTarget[j * {F} + i] {apply}rowSum[i];");
            }
            writer.WriteLine($"rowSum.Slice(0, {U}).Clear();");
            using (writer.Block($"for (int t = 0; t < {T}; t++)"))
            {
                writer.WriteLine($"{kernels.MultiplyAdd(U)}(gateGradients[t * {gradientStride} + hiddenRow], ref states[t * {s}], ref rowSum[0]);");
            }
            using (writer.Block($"for (int i = 0; i < {U}; i++)"))
            {
                writer.WriteLine($"weightHhTarget[j * {U} + i] {apply}rowSum[i];");
            }
        }
    }

    private static string Plus(int offset) => offset == 0 ? "" : $" + {offset}";

    /// <summary>
    /// The blocks of weight_hh's rows, each with where its gate gradient sits past the row's index: all of them at 0,
    /// except a GRU's n rows, whose hidden side (W_hn h + b_hn) has its own gradient after the input side's three.
    /// </summary>
    private void EmitHiddenRows(IndentedWriter writer, System.Action<(int Start, int End), int> rows)
    {
        if (_rnn is GruLayerModel)
        {
            rows((0, 2 * U), 0);
            rows((2 * U, 3 * U), U);
        }
        else
        {
            rows((0, Rows), 0);
        }
    }

    /// <summary>
    /// Step t's gate gradients dz from dh = dL/dh(t) (and dc = dL/dc(t) for an LSTM, which becomes dL/dc(t-1)), and
    /// dhPrevious set to the part of dL/dh(t-1) that does not go through W_hh.
    /// </summary>
    private void EmitStepGradient(IndentedWriter writer)
    {
        int s = StateSize;
        using (writer.Block($"for (int k = 0; k < {U}; k++)"))
        {
            switch (_rnn)
            {
                case SimpleRnnLayerModel simple:
                    writer.WriteLine("float a = gates[k];");
                    writer.WriteLine(simple.CellActivation == Activation.ReLU
                        ? "dz[k] = a > 0f ? dh[k] : 0f;"
                        : "dz[k] = dh[k] * (1f - a * a);");
                    writer.WriteLine("dhPrevious[k] = 0f;");
                    break;
                case LstmLayerModel:
                    writer.WriteLine($"float i = gates[k], f = gates[k + {U}], g = gates[k + {2 * U}], o = gates[k + {3 * U}];");
                    writer.WriteLine($"float tanhC = Tanh(states[(t + 1) * {s} + {U} + k]);");
                    writer.WriteLine("float dcTotal = dc[k] + dh[k] * o * (1f - tanhC * tanhC);");
                    writer.WriteLine("dz[k] = dcTotal * g * i * (1f - i);");
                    writer.WriteLine($"dz[k + {U}] = dcTotal * states[t * {s} + {U} + k] * f * (1f - f);");
                    writer.WriteLine($"dz[k + {2 * U}] = dcTotal * i * (1f - g * g);");
                    writer.WriteLine($"dz[k + {3 * U}] = dh[k] * tanhC * o * (1f - o);");
                    writer.WriteLine("dc[k] = dcTotal * f;");
                    writer.WriteLine("dhPrevious[k] = 0f;");
                    break;
                default:
                    writer.WriteLine($"float r = gates[k], z = gates[k + {U}], n = gates[k + {2 * U}], hiddenN = gates[k + {3 * U}];");
                    writer.WriteLine($"float dn = dh[k] * (1f - z) * (1f - n * n);");
                    writer.WriteLine("dz[k] = dn * hiddenN * r * (1f - r);");
                    writer.WriteLine($"dz[k + {U}] = dh[k] * (states[t * {s} + k] - n) * z * (1f - z);");
                    writer.WriteLine($"dz[k + {2 * U}] = dn;");
                    writer.WriteLine($"dz[k + {3 * U}] = dn * r;");
                    writer.WriteLine("dhPrevious[k] = dh[k] * z;");
                    break;
            }
        }
    }
}
