namespace NetGen.Benchmarks;

/// <summary>
/// One W6 network behind the calls its benchmarks time, so that one benchmark class covers every cell and size:
/// each subclass calls its network's generated <c>Step</c> and <c>Predict</c> directly (one virtual call per operation).
/// </summary>
public abstract class RecurrentRunner
{
    /// <summary>The number of steps of a whole sequence.</summary>
    public const int Steps = 28;

    /// <summary>The network's parameters (PyTorch's state_dict in order).</summary>
    public abstract float[] Parameters { get; }

    /// <summary>Feeds one step of <see cref="Size"/> features, writes the one output.</summary>
    public abstract void Step(ReadOnlySpan<float> stepInput, Span<float> output);

    /// <summary>Back to the zero state.</summary>
    public abstract void Reset();

    /// <summary>Predicts from a whole sequence of <see cref="Steps"/> x <see cref="Size"/> floats.</summary>
    public abstract void Predict(ReadOnlySpan<float> sequence, Span<float> output);

    /// <summary>A trainer of the network (batch 64, Adam, learning rate 1e-3, the given number of threads).</summary>
    public abstract ITrainBatch CreateTrainer(int threads);

    /// <summary>Hidden units, which is also the features per step.</summary>
    public abstract int Size { get; }

    /// <summary>"LSTM" or "GRU".</summary>
    public abstract string Cell { get; }

    /// <summary>The runner of <paramref name="cell"/> ("LSTM" or "GRU") with <paramref name="size"/> units, its parameters set by <see cref="RecurrentWorkload.Parameter"/>.</summary>
    public static RecurrentRunner Create(string cell, int size)
    {
        RecurrentRunner runner = (cell, size) switch
        {
            ("LSTM", 8) => new Lstm8Runner(),
            ("LSTM", 16) => new Lstm16Runner(),
            ("LSTM", 32) => new Lstm32Runner(),
            ("LSTM", 64) => new Lstm64Runner(),
            ("GRU", 8) => new Gru8Runner(),
            ("GRU", 16) => new Gru16Runner(),
            ("GRU", 32) => new Gru32Runner(),
            ("GRU", 64) => new Gru64Runner(),
            _ => throw new ArgumentException($"No W6 network for {cell} of {size} units; expected LSTM or GRU of 8, 16, 32 or 64."),
        };
        RecurrentWorkload.FillParameters(runner.Parameters, size);
        return runner;
    }

    /// <summary>The W6 trainer step as the benchmarks call it.</summary>
    public interface ITrainBatch
    {
        /// <summary>One step of Trainer.TrainBatch on the given samples.</summary>
        float TrainBatch(DataSet data, ReadOnlySpan<int> indices);
    }

    /// <summary>Trainer&lt;TNetwork&gt; behind <see cref="ITrainBatch"/>.</summary>
    protected sealed class TrainerOf<TNetwork>(TNetwork network, int threads) : ITrainBatch where TNetwork : class, INetwork<TNetwork>
    {
        private readonly Trainer<TNetwork> _trainer = new(network, new TrainingOptions
        {
            BatchSize = RecurrentWorkload.BatchSize,
            LearningRate = RecurrentWorkload.LearningRate,
            Optimizer = new Adam(),
            Threads = threads,
        });

        /// <inheritdoc/>
        public float TrainBatch(DataSet data, ReadOnlySpan<int> indices) => _trainer.TrainBatch(data, indices);
    }
}

/// <summary>The runner of <see cref="Lstm8Net"/>.</summary>
public sealed class Lstm8Runner : RecurrentRunner
{
    private readonly Lstm8Net _net = new();
    private Lstm8Net.StreamState _state;

    /// <inheritdoc/>
    public override float[] Parameters => _net.Parameters;

    /// <inheritdoc/>
    public override int Size => 8;

    /// <inheritdoc/>
    public override string Cell => "LSTM";

    /// <inheritdoc/>
    public override void Step(ReadOnlySpan<float> stepInput, Span<float> output) => _net.Step(ref _state, stepInput, output);

    /// <inheritdoc/>
    public override void Reset() => _state.Reset();

    /// <inheritdoc/>
    public override void Predict(ReadOnlySpan<float> sequence, Span<float> output) => _net.Predict(sequence, output);

    /// <inheritdoc/>
    public override ITrainBatch CreateTrainer(int threads) => new TrainerOf<Lstm8Net>(_net, threads);
}

/// <summary>The runner of <see cref="Lstm16Net"/>.</summary>
public sealed class Lstm16Runner : RecurrentRunner
{
    private readonly Lstm16Net _net = new();
    private Lstm16Net.StreamState _state;

    /// <inheritdoc/>
    public override float[] Parameters => _net.Parameters;

    /// <inheritdoc/>
    public override int Size => 16;

    /// <inheritdoc/>
    public override string Cell => "LSTM";

    /// <inheritdoc/>
    public override void Step(ReadOnlySpan<float> stepInput, Span<float> output) => _net.Step(ref _state, stepInput, output);

    /// <inheritdoc/>
    public override void Reset() => _state.Reset();

    /// <inheritdoc/>
    public override void Predict(ReadOnlySpan<float> sequence, Span<float> output) => _net.Predict(sequence, output);

    /// <inheritdoc/>
    public override ITrainBatch CreateTrainer(int threads) => new TrainerOf<Lstm16Net>(_net, threads);
}

/// <summary>The runner of <see cref="Lstm32Net"/>.</summary>
public sealed class Lstm32Runner : RecurrentRunner
{
    private readonly Lstm32Net _net = new();
    private Lstm32Net.StreamState _state;

    /// <inheritdoc/>
    public override float[] Parameters => _net.Parameters;

    /// <inheritdoc/>
    public override int Size => 32;

    /// <inheritdoc/>
    public override string Cell => "LSTM";

    /// <inheritdoc/>
    public override void Step(ReadOnlySpan<float> stepInput, Span<float> output) => _net.Step(ref _state, stepInput, output);

    /// <inheritdoc/>
    public override void Reset() => _state.Reset();

    /// <inheritdoc/>
    public override void Predict(ReadOnlySpan<float> sequence, Span<float> output) => _net.Predict(sequence, output);

    /// <inheritdoc/>
    public override ITrainBatch CreateTrainer(int threads) => new TrainerOf<Lstm32Net>(_net, threads);
}

/// <summary>The runner of <see cref="Lstm64Net"/>.</summary>
public sealed class Lstm64Runner : RecurrentRunner
{
    private readonly Lstm64Net _net = new();
    private Lstm64Net.StreamState _state;

    /// <inheritdoc/>
    public override float[] Parameters => _net.Parameters;

    /// <inheritdoc/>
    public override int Size => 64;

    /// <inheritdoc/>
    public override string Cell => "LSTM";

    /// <inheritdoc/>
    public override void Step(ReadOnlySpan<float> stepInput, Span<float> output) => _net.Step(ref _state, stepInput, output);

    /// <inheritdoc/>
    public override void Reset() => _state.Reset();

    /// <inheritdoc/>
    public override void Predict(ReadOnlySpan<float> sequence, Span<float> output) => _net.Predict(sequence, output);

    /// <inheritdoc/>
    public override ITrainBatch CreateTrainer(int threads) => new TrainerOf<Lstm64Net>(_net, threads);
}

/// <summary>The runner of <see cref="Gru8Net"/>.</summary>
public sealed class Gru8Runner : RecurrentRunner
{
    private readonly Gru8Net _net = new();
    private Gru8Net.StreamState _state;

    /// <inheritdoc/>
    public override float[] Parameters => _net.Parameters;

    /// <inheritdoc/>
    public override int Size => 8;

    /// <inheritdoc/>
    public override string Cell => "GRU";

    /// <inheritdoc/>
    public override void Step(ReadOnlySpan<float> stepInput, Span<float> output) => _net.Step(ref _state, stepInput, output);

    /// <inheritdoc/>
    public override void Reset() => _state.Reset();

    /// <inheritdoc/>
    public override void Predict(ReadOnlySpan<float> sequence, Span<float> output) => _net.Predict(sequence, output);

    /// <inheritdoc/>
    public override ITrainBatch CreateTrainer(int threads) => new TrainerOf<Gru8Net>(_net, threads);
}

/// <summary>The runner of <see cref="Gru16Net"/>.</summary>
public sealed class Gru16Runner : RecurrentRunner
{
    private readonly Gru16Net _net = new();
    private Gru16Net.StreamState _state;

    /// <inheritdoc/>
    public override float[] Parameters => _net.Parameters;

    /// <inheritdoc/>
    public override int Size => 16;

    /// <inheritdoc/>
    public override string Cell => "GRU";

    /// <inheritdoc/>
    public override void Step(ReadOnlySpan<float> stepInput, Span<float> output) => _net.Step(ref _state, stepInput, output);

    /// <inheritdoc/>
    public override void Reset() => _state.Reset();

    /// <inheritdoc/>
    public override void Predict(ReadOnlySpan<float> sequence, Span<float> output) => _net.Predict(sequence, output);

    /// <inheritdoc/>
    public override ITrainBatch CreateTrainer(int threads) => new TrainerOf<Gru16Net>(_net, threads);
}

/// <summary>The runner of <see cref="Gru32Net"/>.</summary>
public sealed class Gru32Runner : RecurrentRunner
{
    private readonly Gru32Net _net = new();
    private Gru32Net.StreamState _state;

    /// <inheritdoc/>
    public override float[] Parameters => _net.Parameters;

    /// <inheritdoc/>
    public override int Size => 32;

    /// <inheritdoc/>
    public override string Cell => "GRU";

    /// <inheritdoc/>
    public override void Step(ReadOnlySpan<float> stepInput, Span<float> output) => _net.Step(ref _state, stepInput, output);

    /// <inheritdoc/>
    public override void Reset() => _state.Reset();

    /// <inheritdoc/>
    public override void Predict(ReadOnlySpan<float> sequence, Span<float> output) => _net.Predict(sequence, output);

    /// <inheritdoc/>
    public override ITrainBatch CreateTrainer(int threads) => new TrainerOf<Gru32Net>(_net, threads);
}

/// <summary>The runner of <see cref="Gru64Net"/>.</summary>
public sealed class Gru64Runner : RecurrentRunner
{
    private readonly Gru64Net _net = new();
    private Gru64Net.StreamState _state;

    /// <inheritdoc/>
    public override float[] Parameters => _net.Parameters;

    /// <inheritdoc/>
    public override int Size => 64;

    /// <inheritdoc/>
    public override string Cell => "GRU";

    /// <inheritdoc/>
    public override void Step(ReadOnlySpan<float> stepInput, Span<float> output) => _net.Step(ref _state, stepInput, output);

    /// <inheritdoc/>
    public override void Reset() => _state.Reset();

    /// <inheritdoc/>
    public override void Predict(ReadOnlySpan<float> sequence, Span<float> output) => _net.Predict(sequence, output);

    /// <inheritdoc/>
    public override ITrainBatch CreateTrainer(int threads) => new TrainerOf<Gru64Net>(_net, threads);
}
