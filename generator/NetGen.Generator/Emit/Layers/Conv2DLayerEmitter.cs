using System;
using System.Collections.Generic;

namespace NetGen.Generator;

/// <summary>
/// Emits a 2-D convolution as direct loops with every size a constant, which for the small images of the course beats
/// gathering windows into a matrix first (im2col). For each filter and input channel, each kernel position (ky, kx)
/// adds weight * (a shifted copy of the input channel) into the output plane, one row at a time: the rows and their
/// lengths are constants per kernel position, so with stride 1 each row is one SIMD multiply-add, and the border,
/// where part of the window falls on padding, needs no test inside the loops.
/// </summary>
internal sealed class Conv2DLayerEmitter : SampleLoopLayerEmitter
{
    private readonly Conv2DLayerModel _conv;

    public Conv2DLayerEmitter(Conv2DLayerModel layer, int number, int parameterOffset, bool isOutput)
        : base(layer, number, parameterOffset, isOutput)
    {
        _conv = layer;
    }

    private int K => _conv.KernelSize;

    private int Stride => _conv.Stride;

    private int InputPlane => _conv.InputHeight * _conv.InputWidth;

    private int OutputPlane => _conv.OutputHeight * _conv.OutputWidth;

    private string WeightsName => $"Layer{Number}Weights";

    private string BiasesName => $"Layer{Number}Biases";

    protected override string ForwardSummary
        => $"{_conv.Filters} filters of {_conv.InputChannels}x{K}x{K}, stride {Stride}, {_conv.Padding} padding"
           + (_conv.PadTop + _conv.PadLeft > 0 ? $" ({_conv.PadTop} row(s) above, {_conv.PadLeft} column(s) left)" : "")
           + $"; out[f, y, x] = b[f] + sum over c, ky, kx of W[f, c, ky, kx] in[c, y * {Stride} + ky - {_conv.PadTop}, x * {Stride} + kx - {_conv.PadLeft}], "
           + $"zero outside the input; then a = {_conv.Activation}.";

    /// <summary>
    /// The output positions o along one axis whose input position o * stride + k - pad lies inside [0, length):
    /// the range [start, end), empty when none does.
    /// </summary>
    private (int Start, int End) Inside(int k, int pad, int length, int outputs)
    {
        int offset = k - pad;
        int start = offset >= 0 ? 0 : (-offset + Stride - 1) / Stride;
        int lastInput = length - 1 - offset;
        int end = lastInput < 0 ? 0 : Math.Min(outputs, lastInput / Stride + 1);
        return (start, Math.Max(start, end));
    }

    /// <summary>The padded image's height and width for stride 1: every window of the output lies inside it.</summary>
    private int PaddedHeight => _conv.OutputHeight + K - 1;

    private int PaddedWidth => _conv.OutputWidth + K - 1;

    /// <summary>Whether the input is copied into a zero-bordered image first (Same padding); Valid reads it directly.</summary>
    private bool CopiesPaddedInput => PaddedHeight != _conv.InputHeight || PaddedWidth != _conv.InputWidth;

    /// <summary>The forward correlation over the padded input, in wide rows of <see cref="PaddedWidth"/>.</summary>
    private CorrelationShape ForwardShape => new(
        _conv.InputChannels, K, PaddedHeight * PaddedWidth, PaddedWidth, (_conv.OutputHeight - 1) * PaddedWidth + _conv.OutputWidth, 0);

    private int FilterBlock => ConvolutionKernelEmitter.FilterBlock(_conv.Filters);

    private string ForwardBlockName(int filters) => $"Layer{Number}Filters{filters}";

    private string PaddedField => $"t_layer{Number}Padded";

    private string WideField => $"t_layer{Number}Wide";

    public override void EmitForward(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        if (Stride == 1)
        {
            EmitForwardKernels(writer);
        }
        if (VectorizedDerivativeMethod is { } derivative)
        {
            ConvolutionKernelEmitter.EmitReluDerivative(writer, derivative,
                $"Layer {Number} in a training pass: dL/da becomes dL/dz, delta kept where the output a &gt; 0 and 0 elsewhere (relu'), a vector at a time.");
        }
        base.EmitForward(writer, kernels);
    }

    /// <summary>ReLU's derivative over the whole output at once: a comparison and a mask per vector, with no branch to mispredict.</summary>
    protected override string? VectorizedDerivativeMethod => _conv.Activation == Activation.ReLU ? $"Layer{Number}ReluDerivative" : null;

    /// <summary>The per-thread buffers and the register-blocked kernels of the stride-1 forward step.</summary>
    private void EmitForwardKernels(IndentedWriter writer)
    {
        var shape = ForwardShape;
        int block = FilterBlock;
        writer.WriteLine();
        if (CopiesPaddedInput)
        {
            writer.WriteLine($"/// <summary>Layer {Number}'s input inside a border of zeros, [{_conv.InputChannels}, {PaddedHeight}, {PaddedWidth}], one per thread: only the inside is ever written.</summary>");
            writer.WriteLine("[ThreadStatic]");
            writer.WriteLine($"private static float[]? {PaddedField};");
            writer.WriteLine();
        }
        writer.WriteLine($"/// <summary>Layer {Number}'s output for a block of {block} filter(s) in wide rows of {PaddedWidth} (the last {PaddedWidth - _conv.OutputWidth} of each thrown away), one per thread.</summary>");
        writer.WriteLine("[ThreadStatic]");
        writer.WriteLine($"private static float[]? {WideField};");
        bool relu = _conv.Activation == Activation.ReLU;
        foreach (int filters in ForwardBlocks())
        {
            ConvolutionKernelEmitter.EmitBlock(writer, ForwardBlockName(filters), shape, filters, hasBias: true, relu,
                $"Layer {Number}: z = b + W * input for {filters} filter(s) at every wide position{(relu ? ", stored as max(z, 0)" : "")}.");
        }
        EmitBackwardKernels(writer);
    }

    /// <summary>The deltas inside a border of K - 1 zeros: [filters, OutputHeight + 2(K - 1), OutputWidth + 2(K - 1)].</summary>
    private int DeltaPaddedHeight => _conv.OutputHeight + 2 * (K - 1);

    private int DeltaPaddedWidth => _conv.OutputWidth + 2 * (K - 1);

    /// <summary>
    /// dL/dinput as a correlation: dIn[c, y, x] = sum over f, ky, kx of Wflipped[c, f, ky, kx] * deltaPadded[f, y + padTop + ky, x + padLeft + kx],
    /// with Wflipped[c, f, ky, kx] = W[f, c, K - 1 - ky, K - 1 - kx]: the forward kernel with channels and filters swapped,
    /// read from the weights in place (<see cref="WeightLayout.Flipped"/>) rather than copied flipped on every call.
    /// </summary>
    private CorrelationShape InputGradientShape => new(
        _conv.Filters, K, DeltaPaddedHeight * DeltaPaddedWidth, DeltaPaddedWidth,
        (_conv.InputHeight - 1) * DeltaPaddedWidth + _conv.InputWidth, _conv.PadTop * DeltaPaddedWidth + _conv.PadLeft)
    {
        Weights = WeightLayout.Flipped(_conv.InputChannels, K),
    };

    private int ChannelBlock => ConvolutionKernelEmitter.FilterBlock(_conv.InputChannels);

    private string InputGradientBlockName(int channels) => $"Layer{Number}InputGradientChannels{channels}";

    private string KernelGradientName => $"Layer{Number}KernelGradient";

    private string BiasGradientName => $"Layer{Number}BiasGradient";

    private void EmitBackwardKernels(IndentedWriter writer)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}'s input inside its border of zeros for the backward step, with a vector of zeros after it, one per thread.</summary>");
        writer.WriteLine("[ThreadStatic]");
        writer.WriteLine($"private static float[]? t_layer{Number}GradientSource;");
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}'s deltas in wide rows of {ConvolutionKernelEmitter.PaddedWideLength(ForwardShape.WideLength)} (zeros in the thrown-away columns), one per thread.</summary>");
        writer.WriteLine("[ThreadStatic]");
        writer.WriteLine($"private static float[]? t_layer{Number}WideDeltas;");
        ConvolutionKernelEmitter.EmitKernelGradient(writer, KernelGradientName, ForwardShape, _conv.Filters,
            $"Layer {Number}: target[f, c, ky, kx] += scale * dL/dW[f, c, ky, kx], the deltas of filter f times the input values each weight met.");
        ConvolutionKernelEmitter.EmitRowSums(writer, BiasGradientName, _conv.Filters, ConvolutionKernelEmitter.PaddedWideLength(ForwardShape.WideLength),
            $"Layer {Number}: target[f] += scale * dL/db[f], the sum of filter f's deltas (in wide rows, zeros between and after the rows).");
        if (IsFirst)
        {
            return;
        }
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}'s deltas inside a border of {K - 1} zeros, [{_conv.Filters}, {DeltaPaddedHeight}, {DeltaPaddedWidth}], one per thread.</summary>");
        writer.WriteLine("[ThreadStatic]");
        writer.WriteLine($"private static float[]? t_layer{Number}PaddedDeltas;");
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}'s dL/dinput for a block of {ChannelBlock} channel(s) in wide rows of {DeltaPaddedWidth}, one per thread.</summary>");
        writer.WriteLine("[ThreadStatic]");
        writer.WriteLine($"private static float[]? t_layer{Number}WideInputGradient;");
        foreach (int channels in ChannelBlocks())
        {
            ConvolutionKernelEmitter.EmitBlock(writer, InputGradientBlockName(channels), InputGradientShape, channels, hasBias: false, relu: false,
                $"Layer {Number}: dL/dinput for {channels} channel(s) at every wide position, the deltas correlated with the flipped kernels.");
        }
    }

    private IEnumerable<int> ChannelBlocks()
    {
        yield return ChannelBlock;
        if (_conv.InputChannels % ChannelBlock != 0)
        {
            yield return _conv.InputChannels % ChannelBlock;
        }
    }

    /// <summary>The filter counts of the forward blocks: the full block, and a smaller one for the filters left over.</summary>
    private IEnumerable<int> ForwardBlocks()
    {
        yield return FilterBlock;
        if (_conv.Filters % FilterBlock != 0)
        {
            yield return _conv.Filters % FilterBlock;
        }
    }

    protected override void EmitForwardBody(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        if (Stride == 1)
        {
            EmitTiledForwardBody(writer);
            return;
        }
        writer.WriteLine($"ReadOnlySpan<float> weights = parameters.Slice({WeightsName}, {_conv.WeightCount});");
        writer.WriteLine($"ReadOnlySpan<float> biases = parameters.Slice({BiasesName}, {_conv.Filters});");
        using (writer.Block($"for (int f = 0; f < {_conv.Filters}; f++)"))
        {
            writer.WriteLine($"Span<float> plane = output.Slice(f * {OutputPlane}, {OutputPlane});");
            writer.WriteLine("plane.Fill(biases[f]);");
            using (writer.Block($"for (int c = 0; c < {_conv.InputChannels}; c++)"))
            {
                writer.WriteLine($"ReadOnlySpan<float> channel = input.Slice(c * {InputPlane}, {InputPlane});");
                writer.WriteLine($"ReadOnlySpan<float> kernel = weights.Slice({(_conv.InputChannels == 1 ? "f" : $"(f * {_conv.InputChannels} + c)")} * {K * K}, {K * K});");
                EmitKernelPositions(writer, (ky, kx, outRow, inRow, length) =>
                {
                    string w = $"kernel[{ky * K + kx}]";
                    if (Stride == 1)
                    {
                        writer.WriteLine($"{kernels.MultiplyAdd(length)}({w}, ref Unsafe.AsRef(in channel[{inRow}]), ref plane[{outRow}]);");
                    }
                    else
                    {
                        using (writer.Block($"for (int x = 0; x < {length}; x++)"))
                        {
                            writer.WriteLine($"plane[{outRow} + x] += {w} * channel[{inRow} + x * {Stride}];");
                        }
                    }
                });
            }
        }
        EmitActivation(writer);
    }

    /// <summary>
    /// Stride 1: each block of filters is computed by its register-blocked kernel into wide rows, whose first
    /// OutputWidth values of each row are then copied into the output. ReLU is applied as the kernel stores.
    /// </summary>
    private void EmitTiledForwardBody(IndentedWriter writer)
    {
        var shape = ForwardShape;
        int block = FilterBlock;
        int inputPlane = InputPlane;
        writer.WriteLine($"ref float weights = ref MemoryMarshal.GetReference(parameters.Slice({WeightsName}, {_conv.WeightCount}));");
        writer.WriteLine($"ref float biases = ref MemoryMarshal.GetReference(parameters.Slice({BiasesName}, {_conv.Filters}));");
        writer.WriteLine($"ref float outputStart = ref MemoryMarshal.GetReference(output);");
        if (CopiesPaddedInput)
        {
            writer.WriteLine($"float[] padded = {PaddedField} ??= new float[{_conv.InputChannels * PaddedHeight * PaddedWidth}];");
            writer.WriteLine("ref float source = ref MemoryMarshal.GetArrayDataReference(padded);");
            writer.WriteLine("ref float inputStart = ref MemoryMarshal.GetReference(input);");
            using (writer.Block($"for (int c = 0; c < {_conv.InputChannels}; c++)"))
            {
                using (writer.Block($"for (int y = 0; y < {_conv.InputHeight}; y++)"))
                {
                    writer.WriteLine(ConvolutionKernelEmitter.CopyFloats(
                        $"Unsafe.Add(ref inputStart, c * {inputPlane} + y * {_conv.InputWidth})",
                        $"Unsafe.Add(ref source, c * {PaddedHeight * PaddedWidth} + {Plus($"y * {PaddedWidth}", _conv.PadTop * PaddedWidth + _conv.PadLeft)})",
                        _conv.InputWidth));
                }
            }
        }
        else
        {
            writer.WriteLine("ref float source = ref MemoryMarshal.GetReference(input);");
        }
        writer.WriteLine($"float[] wideRows = {WideField} ??= new float[{block * shape.WideLength}];");
        writer.WriteLine("ref float wide = ref MemoryMarshal.GetArrayDataReference(wideRows);");
        int mainEnd = _conv.Filters - _conv.Filters % block;
        using (writer.Block($"for (int f = 0; f < {mainEnd}; f += {block})"))
        {
            EmitForwardBlockCall(writer, "f", block);
        }
        if (mainEnd != _conv.Filters)
        {
            EmitForwardBlockCall(writer, mainEnd.ToString(System.Globalization.CultureInfo.InvariantCulture), _conv.Filters - mainEnd);
        }
        if (_conv.Activation != Activation.ReLU)
        {
            EmitActivation(writer);
        }
    }

    private void EmitForwardBlockCall(IndentedWriter writer, string firstFilter, int filters)
    {
        var shape = ForwardShape;
        writer.WriteLine($"{ForwardBlockName(filters)}(ref Unsafe.Add(ref weights, {firstFilter} * {shape.FilterStride}), ref Unsafe.Add(ref biases, {firstFilter}), ref source, ref wide);");
        EmitWideRowsCopy(writer, "wide", shape.WideLength, PaddedWidth, "outputStart", firstFilter, filters, OutputPlane, _conv.OutputHeight, _conv.OutputWidth);
    }

    /// <summary>
    /// Copies the first <paramref name="width"/> values of each wide row of <paramref name="planes"/> planes (the
    /// columns past them were computed only to keep the kernels' rows whole) into their places in the destination.
    /// </summary>
    private static void EmitWideRowsCopy(IndentedWriter writer, string wide, int wideLength, int wideRow, string destination,
        string firstPlane, int planes, int plane, int height, int width)
    {
        using (writer.Block($"for (int j = 0; j < {planes}; j++)"))
        {
            using (writer.Block($"for (int y = 0; y < {height}; y++)"))
            {
                writer.WriteLine(ConvolutionKernelEmitter.CopyFloats(
                    $"Unsafe.Add(ref {wide}, j * {wideLength} + y * {wideRow})",
                    $"Unsafe.Add(ref {destination}, ({firstPlane} + j) * {plane} + y * {width})",
                    width));
            }
        }
    }

    private void EmitActivation(IndentedWriter writer)
    {
        if (ActivationCode.IsVectorized(_conv.Activation))
        {
            writer.WriteLine(ActivationCode.ApplyToSpan(_conv.Activation, "output", "output"));
        }
        else if (_conv.Activation != Activation.Identity)
        {
            using (writer.Block($"for (int i = 0; i < {_conv.OutputSize}; i++)"))
            {
                writer.WriteLine($"output[i] = {ActivationCode.Apply(_conv.Activation, "output[i]")};");
            }
        }
    }

    /// <summary>
    /// For each kernel row ky, a loop over the output rows y that it reaches inside the input, and in it, for each kernel
    /// column kx, one statement over the output columns it reaches. <paramref name="statement"/> gets ky, kx, the
    /// offset of the first output value of the row within the output plane (an expression of y), the offset of the first
    /// input value it reads within the input channel, and the number of values.
    /// </summary>
    private void EmitKernelPositions(IndentedWriter writer, Action<int, int, string, string, int> statement)
    {
        for (int ky = 0; ky < K; ky++)
        {
            var (yStart, yEnd) = Inside(ky, _conv.PadTop, _conv.InputHeight, _conv.OutputHeight);
            if (yStart >= yEnd)
            {
                continue;
            }
            var columns = new List<(int Kx, int Start, int Length)>();
            for (int kx = 0; kx < K; kx++)
            {
                var (xStart, xEnd) = Inside(kx, _conv.PadLeft, _conv.InputWidth, _conv.OutputWidth);
                if (xStart < xEnd)
                {
                    columns.Add((kx, xStart, xEnd - xStart));
                }
            }
            if (columns.Count == 0)
            {
                continue;
            }
            string inputRow = Plus(Stride == 1 ? "y" : $"y * {Stride}", ky - _conv.PadTop);
            writer.WriteLine($"// Kernel row {ky}: output rows {yStart}..{yEnd - 1} read input rows {inputRow}.");
            using (writer.Block($"for (int y = {yStart}; y < {yEnd}; y++)"))
            {
                writer.WriteLine($"int outRow = y * {_conv.OutputWidth};");
                writer.WriteLine($"int inRow = ({inputRow}) * {_conv.InputWidth};");
                foreach (var (kx, xStart, length) in columns)
                {
                    int inputColumn = xStart * Stride + kx - _conv.PadLeft;
                    statement(ky, kx, Plus("outRow", xStart), Plus("inRow", inputColumn), length);
                }
            }
        }
    }

    private static string Plus(string name, int offset) => offset == 0 ? name : offset > 0 ? $"{name} + {offset}" : $"{name} - {-offset}";

    protected override void EmitBackwardBody(IndentedWriter writer, VectorKernelEmitter kernels, ParameterGradient parameterGradient, bool writeInputGradient)
    {
        if (Stride == 1)
        {
            EmitTiledBackwardBody(writer, parameterGradient, writeInputGradient);
            return;
        }
        bool descend = parameterGradient == ParameterGradient.Descend;
        bool weightGradient = parameterGradient != ParameterGradient.None;
        writer.WriteLine($"{(descend ? "Span" : "ReadOnlySpan")}<float> weights = parameters.Slice({WeightsName}, {_conv.WeightCount});");
        if (parameterGradient == ParameterGradient.Add)
        {
            writer.WriteLine($"Span<float> weightGradient = gradient.Slice({WeightsName}, {_conv.WeightCount});");
            writer.WriteLine($"Span<float> biasGradient = gradient.Slice({BiasesName}, {_conv.Filters});");
        }
        else if (descend)
        {
            writer.WriteLine($"Span<float> biases = parameters.Slice({BiasesName}, {_conv.Filters});");
        }
        if (writeInputGradient)
        {
            writer.WriteLine("inputGradient.Clear();");
        }
        using (writer.Block($"for (int f = 0; f < {_conv.Filters}; f++)"))
        {
            writer.WriteLine($"ReadOnlySpan<float> deltaPlane = delta.Slice(f * {OutputPlane}, {OutputPlane});");
            if (weightGradient)
            {
                writer.WriteLine("// dL/db[f]: the sum of the plane's deltas.");
                writer.WriteLine("float biasSum = 0f;");
                using (writer.Block($"for (int i = 0; i < {OutputPlane}; i++)"))
                {
                    writer.WriteLine("biasSum += deltaPlane[i];");
                }
                writer.WriteLine(descend ? "biases[f] -= learningRate * biasSum;" : "biasGradient[f] += biasSum;");
            }
            using (writer.Block($"for (int c = 0; c < {_conv.InputChannels}; c++)"))
            {
                writer.WriteLine($"int kernelStart = {(_conv.InputChannels == 1 ? "f" : $"(f * {_conv.InputChannels} + c)")} * {K * K};");
                if (weightGradient)
                {
                    writer.WriteLine($"ReadOnlySpan<float> channel = input.Slice(c * {InputPlane}, {InputPlane});");
                    writer.WriteLine("// dL/dW[f, c, ky, kx]: the sum over the output of delta times the input value that weight met.");
                    for (int ky = 0; ky < K; ky++)
                    {
                        writer.WriteLine(string.Join(" ", EnumerateKx().ConvertAll(kx => $"float sum{ky}_{kx} = 0f;")));
                    }
                }
                if (writeInputGradient)
                {
                    writer.WriteLine($"Span<float> channelGradient = inputGradient.Slice(c * {InputPlane}, {InputPlane});");
                }
                EmitKernelPositions(writer, (ky, kx, outRow, inRow, length) =>
                {
                    if (Stride == 1)
                    {
                        if (weightGradient)
                        {
                            writer.WriteLine($"sum{ky}_{kx} += {kernels.Dot(length)}(ref Unsafe.AsRef(in deltaPlane[{outRow}]), ref Unsafe.AsRef(in channel[{inRow}]));");
                        }
                        if (writeInputGradient)
                        {
                            writer.WriteLine($"{kernels.MultiplyAdd(length)}(weights[kernelStart + {ky * K + kx}], ref Unsafe.AsRef(in deltaPlane[{outRow}]), ref channelGradient[{inRow}]);");
                        }
                        return;
                    }
                    using (writer.Block($"for (int x = 0; x < {length}; x++)"))
                    {
                        if (weightGradient)
                        {
                            writer.WriteLine($"sum{ky}_{kx} += deltaPlane[{outRow} + x] * channel[{inRow} + x * {Stride}];");
                        }
                        if (writeInputGradient)
                        {
                            writer.WriteLine($"channelGradient[{inRow} + x * {Stride}] += weights[kernelStart + {ky * K + kx}] * deltaPlane[{outRow} + x];");
                        }
                    }
                });
                if (weightGradient)
                {
                    for (int ky = 0; ky < K; ky++)
                    {
                        foreach (int kx in EnumerateKx())
                        {
                            writer.WriteLine(descend
                                ? $"weights[kernelStart + {ky * K + kx}] -= learningRate * sum{ky}_{kx};"
                                : $"weightGradient[kernelStart + {ky * K + kx}] += sum{ky}_{kx};");
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Stride 1: dL/dW by the kernel-gradient kernel over the input (copied inside its zero border) and the deltas in
    /// wide rows; dL/dinput by the forward's kernel run on the deltas inside a border of K - 1 zeros with the kernels
    /// flipped; the bias gradient as before, the sum of each filter's deltas.
    /// </summary>
    private void EmitTiledBackwardBody(IndentedWriter writer, ParameterGradient parameterGradient, bool writeInputGradient)
    {
        bool descend = parameterGradient == ParameterGradient.Descend;
        bool weightGradient = parameterGradient != ParameterGradient.None;
        var shape = ForwardShape;
        int paddedPlane = PaddedHeight * PaddedWidth;
        writer.WriteLine($"{(descend ? "Span" : "ReadOnlySpan")}<float> weights = parameters.Slice({WeightsName}, {_conv.WeightCount});");
        writer.WriteLine("ref float deltaStart = ref MemoryMarshal.GetReference(delta);");
        if (weightGradient)
        {
            writer.WriteLine($"float[] sourceBuffer = t_layer{Number}GradientSource ??= new float[{_conv.InputChannels * paddedPlane + 16}];");
            writer.WriteLine("ref float source = ref MemoryMarshal.GetArrayDataReference(sourceBuffer);");
            writer.WriteLine("ref float inputStart = ref MemoryMarshal.GetReference(input);");
            using (writer.Block($"for (int c = 0; c < {_conv.InputChannels}; c++)"))
            {
                using (writer.Block($"for (int y = 0; y < {_conv.InputHeight}; y++)"))
                {
                    writer.WriteLine(ConvolutionKernelEmitter.CopyFloats(
                        $"Unsafe.Add(ref inputStart, c * {InputPlane} + y * {_conv.InputWidth})",
                        $"Unsafe.Add(ref source, c * {paddedPlane} + {Plus($"y * {PaddedWidth}", _conv.PadTop * PaddedWidth + _conv.PadLeft)})",
                        _conv.InputWidth));
                }
            }
            int deltaStride = ConvolutionKernelEmitter.PaddedWideLength(shape.WideLength);
            writer.WriteLine($"float[] wideDeltaBuffer = t_layer{Number}WideDeltas ??= new float[{_conv.Filters * deltaStride}];");
            writer.WriteLine("ref float wideDeltas = ref MemoryMarshal.GetArrayDataReference(wideDeltaBuffer);");
            using (writer.Block($"for (int f = 0; f < {_conv.Filters}; f++)"))
            {
                using (writer.Block($"for (int y = 0; y < {_conv.OutputHeight}; y++)"))
                {
                    writer.WriteLine(ConvolutionKernelEmitter.CopyFloats(
                        $"Unsafe.Add(ref deltaStart, f * {OutputPlane} + y * {_conv.OutputWidth})",
                        $"Unsafe.Add(ref wideDeltas, f * {deltaStride} + y * {PaddedWidth})",
                        _conv.OutputWidth));
                }
            }
            writer.WriteLine(descend
                ? $"{KernelGradientName}(ref wideDeltas, ref source, ref MemoryMarshal.GetReference(weights), -learningRate);"
                : $"{KernelGradientName}(ref wideDeltas, ref source, ref MemoryMarshal.GetReference(gradient.Slice({WeightsName}, {_conv.WeightCount})), 1f);");
            writer.WriteLine(descend
                ? $"{BiasGradientName}(ref wideDeltas, ref MemoryMarshal.GetReference(parameters.Slice({BiasesName}, {_conv.Filters})), -learningRate);"
                : $"{BiasGradientName}(ref wideDeltas, ref MemoryMarshal.GetReference(gradient.Slice({BiasesName}, {_conv.Filters})), 1f);");
        }
        if (!writeInputGradient)
        {
            return;
        }
        var inputShape = InputGradientShape;
        int deltaPlane = DeltaPaddedHeight * DeltaPaddedWidth;
        writer.WriteLine($"float[] paddedDeltaBuffer = t_layer{Number}PaddedDeltas ??= new float[{_conv.Filters * deltaPlane}];");
        writer.WriteLine("ref float paddedDeltas = ref MemoryMarshal.GetArrayDataReference(paddedDeltaBuffer);");
        using (writer.Block($"for (int f = 0; f < {_conv.Filters}; f++)"))
        {
            using (writer.Block($"for (int y = 0; y < {_conv.OutputHeight}; y++)"))
            {
                writer.WriteLine(ConvolutionKernelEmitter.CopyFloats(
                    $"Unsafe.Add(ref deltaStart, f * {OutputPlane} + y * {_conv.OutputWidth})",
                    $"Unsafe.Add(ref paddedDeltas, f * {deltaPlane} + {Plus($"y * {DeltaPaddedWidth}", (K - 1) * DeltaPaddedWidth + K - 1)})",
                    _conv.OutputWidth));
            }
        }
        writer.WriteLine("ref float weightsStart = ref MemoryMarshal.GetReference(weights);");
        writer.WriteLine($"float[] wideGradientBuffer = t_layer{Number}WideInputGradient ??= new float[{ChannelBlock * inputShape.WideLength}];");
        writer.WriteLine("ref float wideGradient = ref MemoryMarshal.GetArrayDataReference(wideGradientBuffer);");
        writer.WriteLine("ref float inputGradientStart = ref MemoryMarshal.GetReference(inputGradient);");
        int mainEnd = _conv.InputChannels - _conv.InputChannels % ChannelBlock;
        using (writer.Block($"for (int c = 0; c < {mainEnd}; c += {ChannelBlock})"))
        {
            EmitInputGradientBlockCall(writer, "c", ChannelBlock);
        }
        if (mainEnd != _conv.InputChannels)
        {
            EmitInputGradientBlockCall(writer, mainEnd.ToString(System.Globalization.CultureInfo.InvariantCulture), _conv.InputChannels - mainEnd);
        }
    }

    private void EmitInputGradientBlockCall(IndentedWriter writer, string firstChannel, int channels)
    {
        var shape = InputGradientShape;
        writer.WriteLine($"{InputGradientBlockName(channels)}(ref Unsafe.Add(ref weightsStart, {firstChannel} * {shape.Weights.Filter}), ref paddedDeltas, ref wideGradient);");
        EmitWideRowsCopy(writer, "wideGradient", shape.WideLength, DeltaPaddedWidth, "inputGradientStart", firstChannel, channels, InputPlane, _conv.InputHeight, _conv.InputWidth);
    }

    private List<int> EnumerateKx()
    {
        var all = new List<int>();
        for (int kx = 0; kx < K; kx++)
        {
            all.Add(kx);
        }
        return all;
    }
}
