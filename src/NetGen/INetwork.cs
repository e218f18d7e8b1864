namespace NetGen;

/// <summary>
/// What the generator implements for every declared network. The members are static so that the trainer, generic
/// over <typeparamref name="TSelf"/>, calls the network's own code directly: no reflection, no virtual calls.
/// The static methods work on any parameter vector of the right length; the instance members use the network's own
/// <see cref="Parameters"/>.
/// </summary>
/// <typeparam name="TSelf">The generated network class itself.</typeparam>
public interface INetwork<TSelf> where TSelf : INetwork<TSelf>
{
    /// <summary>The number of input features.</summary>
    static abstract int InputSize { get; }

    /// <summary>The number of outputs.</summary>
    static abstract int OutputSize { get; }

    /// <summary>The number of parameters (every weight and bias) in <see cref="Parameters"/>.</summary>
    static abstract int ParameterCount { get; }

    /// <summary>The loss the network is trained to minimize.</summary>
    static abstract Loss Loss { get; }

    /// <summary>The layers in order from input to output, with the offsets of their parameters.</summary>
    static abstract IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>Every weight and bias of this instance in one flat vector (the theta of the course).</summary>
    float[] Parameters { get; }

    /// <summary>Fills <paramref name="parameters"/> with a fresh initialization drawn from <paramref name="seed"/>.</summary>
    static abstract void InitializeParameters(Span<float> parameters, int seed);

    /// <summary>Computes the network's output for one input with the given parameters.</summary>
    static abstract void Predict(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Computes the output for one input and returns its loss against <paramref name="target"/>.</summary>
    static abstract float Evaluate(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> output);

    /// <summary>
    /// Runs forward and backward for one sample: adds dL/dtheta into <paramref name="gradient"/> (laid out like the
    /// parameters) and returns the sample's loss L.
    /// </summary>
    static abstract float AccumulateGradient(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> gradient);

    /// <summary>
    /// The training form of <see cref="AccumulateGradient(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>:
    /// layers declared with dropout drop units, with masks drawn from <paramref name="random"/>. For a network without
    /// dropout it is the same computation and leaves <paramref name="random"/> untouched.
    /// </summary>
    static abstract float AccumulateGradient(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> gradient, ref DeterministicRandom random);

    /// <summary>
    /// Forward, loss and backward for a batch of samples given as rows (inputs: count x InputSize, targets:
    /// count x OutputSize): adds the sum of their gradients into <paramref name="gradient"/> and returns the sum of
    /// their losses, dropping units where the network declares dropout. Large layers are computed for several samples
    /// at once, so each weight is fetched once per group of samples.
    /// </summary>
    static abstract float AccumulateBatchGradient(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> gradient, ref DeterministicRandom random);

    /// <summary>
    /// What <see cref="AccumulateBatchGradient"/> computes, written into <paramref name="gradient"/> instead of added to
    /// it: the sum of the samples' gradients (zeros for no samples), bitwise what <see cref="AccumulateBatchGradient"/>
    /// adds to zeros. The gradient's old values are never read, so it needs no clearing first.
    /// </summary>
    static abstract float ComputeBatchGradient(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> gradient, ref DeterministicRandom random);

    /// <summary>
    /// One step of stochastic gradient descent on one sample, fused: forward, loss, every layer's delta, then
    /// theta -= <paramref name="learningRate"/> * dL/dtheta written straight into <paramref name="parameters"/>, with no
    /// gradient buffer. Layers declared with dropout drop units, with masks drawn from <paramref name="random"/>.
    /// </summary>
    /// <returns>
    /// The sample's loss before the step. When the loss or a delta is not finite, the parameters are left as they
    /// were and the value returned is not finite.
    /// </returns>
    static abstract float SgdStep(Span<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate, ref DeterministicRandom random);

    /// <summary>
    /// Whether the network has its own <see cref="SgdBatchStep"/>, which the trainer then takes for batches of up to 32
    /// samples with plain <c>Sgd</c>: the generator writes one for networks whose batch path runs in lane form (small
    /// dense layers, mean squared error).
    /// </summary>
    static virtual bool FusesBatchSgdStep => false;

    /// <summary>
    /// One step of plain gradient descent on a batch's mean gradient, the trainer's step from <see cref="ComputeBatchGradient"/>:
    /// the sum of the rows' gradients times 1/count, then theta -= <paramref name="learningRate"/> * (g + 0 theta), as
    /// <c>Sgd</c> without momentum or weight decay computes it. A network that fuses the step (<see cref="FusesBatchSgdStep"/>)
    /// keeps the gradient in registers and gives the same bits; this default computes it through a gradient array it allocates.
    /// </summary>
    /// <returns>
    /// The sum of the rows' losses before the step. When it, or any of the mean gradient's values, is not finite, the
    /// parameters are left as they were and the value returned is not finite (NaN when only the gradient was).
    /// </returns>
    static virtual float SgdBatchStep(Span<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, float learningRate)
    {
        int count = inputs.Length / TSelf.InputSize;
        if (count == 0 || inputs.Length != count * TSelf.InputSize)
        {
            throw new ArgumentException($"The inputs hold {inputs.Length} floats: expected a positive whole number of rows of {TSelf.InputSize}.", nameof(inputs));
        }
        var gradient = new float[TSelf.ParameterCount];
        var random = new DeterministicRandom(0);
        float loss = TSelf.ComputeBatchGradient(parameters, inputs, targets, gradient, ref random);
        return CompilerServices.BatchSgd.Step(parameters, gradient, count, loss, learningRate);
    }

    /// <summary>
    /// Whether <see cref="PackForPrediction"/> stores some layer's weights in another order: the generator writes its own
    /// pair for networks with a dense layer too large for the L1 cache, whose 8-row blocks it then reads as one stream.
    /// </summary>
    static virtual bool PacksForPrediction => false;

    /// <summary>
    /// Writes <paramref name="parameters"/> into <paramref name="packed"/> in the prediction layout that
    /// <see cref="PredictPacked"/> reads: the same floats, each layer's in its own place, some layers' weights reordered
    /// inside their blocks. The layout depends on the vector width of the machine and process it is written in: keep it
    /// in memory (<see cref="Predictor{TNetwork}"/> does), never save it. This default copies the parameters unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">A span's length is not ParameterCount, or the two overlap.</exception>
    static virtual void PackForPrediction(ReadOnlySpan<float> parameters, Span<float> packed)
        => CompilerServices.RowBlockPacking.Begin(parameters, packed, TSelf.ParameterCount);

    /// <summary>
    /// <see cref="Predict"/> from parameters that <see cref="PackForPrediction"/> wrote: the same output, bit for bit,
    /// faster where a large layer's weights come from the L2 cache. This default is <see cref="Predict"/>.
    /// </summary>
    static virtual void PredictPacked(ReadOnlySpan<float> packed, ReadOnlySpan<float> input, Span<float> output)
        => TSelf.Predict(packed, input, output);
}
