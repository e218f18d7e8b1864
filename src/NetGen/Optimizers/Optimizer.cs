using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Turns the mean gradient of a batch into a change of the parameters. One instance serves one parameter vector: it
/// keeps its state (momentum, running averages) sized to the network, allocated on the first step, so later steps
/// allocate nothing. Each optimizer follows the definition of its <c>torch.optim</c> namesake, so that results can be
/// compared with PyTorch step for step; each updates the whole vector in one fused SIMD pass.
/// </summary>
public abstract class Optimizer
{
    private float[][] _state = [];

    /// <summary>The parameter count whose lengths <see cref="BeginStep"/> has checked and allocated the state for; -1 before.</summary>
    private int _checkedLength = -1;

    /// <summary>How many steps have been taken (t in the formulas; Adam's bias correction uses it).</summary>
    public long StepCount { get; private set; }

    /// <summary>How many state vectors, each as long as the parameters, the optimizer keeps.</summary>
    protected abstract int StateVectorCount { get; }

    /// <summary>The state vectors (for example Adam's m and v), empty before the first step. For checkpoints.</summary>
    public IReadOnlyList<float[]> State => _state;

    /// <summary>Updates <paramref name="parameters"/> in place from the mean <paramref name="gradient"/> of a batch.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="gradient">dL/dtheta averaged over the batch, laid out like <paramref name="parameters"/>.</param>
    /// <param name="learningRate">The step size eta for this step.</param>
    /// <exception cref="ArgumentException">The lengths differ, or differ from those of earlier steps.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative, NaN or infinite.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate)
    {
        if (!double.IsFinite(learningRate) || learningRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a finite number, 0 or more.");
        }
        BeginStep(parameters, gradient);
        // The optimizers' Update methods are not inlined: once Step is inlined into a caller that knows the optimizer's
        // type, an inlined Update could exhaust the JIT's inlining budget and leave its vector loads and stores as calls
        // (measured: Adam on 100k parameters 4x slower).
        Update(parameters, gradient, learningRate);
    }

    /// <summary>
    /// Checks the lengths, allocates the state on the first step and counts the step: everything of
    /// <see cref="Step"/> but the update, which the trainer may then apply range by range on several threads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void BeginStep(ReadOnlySpan<float> parameters, ReadOnlySpan<float> gradient)
    {
        if (parameters.Length != _checkedLength || gradient.Length != _checkedLength)
        {
            CheckLengthsAndAllocate(parameters.Length, gradient.Length);
        }
        StepCount++;
    }

    /// <summary>
    /// The checks of <see cref="BeginStep"/> and the state's allocation, done once for a length (later steps compare
    /// two integers): a small network's step is a few nanoseconds, and the state vector count is a virtual call.
    /// </summary>
    private void CheckLengthsAndAllocate(int parameterCount, int gradientLength)
    {
        if (gradientLength != parameterCount)
        {
            throw new ArgumentException($"The gradient has length {gradientLength}; expected {parameterCount}, one value per parameter.", "gradient");
        }
        if (_state.Length != StateVectorCount)
        {
            _state = new float[StateVectorCount][];
            for (int i = 0; i < _state.Length; i++)
            {
                _state[i] = new float[parameterCount];
            }
        }
        else if (_state.Length > 0 && _state[0].Length != parameterCount)
        {
            throw new ArgumentException(
                $"This optimizer holds state for {_state[0].Length} parameters; it was given {parameterCount}. Use one optimizer per network.", "parameters");
        }
        _checkedLength = parameterCount;
    }

    /// <summary>
    /// Whether <see cref="UpdateRange"/> works: each parameter's update reads only its own gradient and state, so
    /// disjoint ranges can be updated at once, with the same result as one pass. True for the optimizers here.
    /// </summary>
    internal virtual bool UpdatesRanges => false;

    /// <summary>
    /// The update of <see cref="Update"/> for the parameters from <paramref name="offset"/> on: <paramref name="parameters"/>
    /// and <paramref name="gradient"/> are slices of the whole vectors starting there. Called after <see cref="BeginStep"/>.
    /// </summary>
    internal virtual void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate, int offset)
        => throw new NotSupportedException($"{GetType().Name} updates the whole parameter vector at once.");

    /// <summary>
    /// Whether the optimizer leaves the rows of an embedding table that a batch did not touch as they are, so that
    /// <see cref="StepTouchedRows"/> may skip them: true for plain <see cref="Sgd"/> (their gradient is zero) and for
    /// <see cref="LazyAdam"/> (by definition); false for the optimizers whose state decays every row every step.
    /// </summary>
    internal virtual bool SkipsUntouchedRows => false;

    /// <summary>
    /// A step whose cost in the table is proportional to <paramref name="rows"/>: every parameter outside the table is
    /// updated as <see cref="Step"/> updates it, and in the table only the rows listed. For the trainer, whose gradient
    /// is zero in the table outside those rows; only for an optimizer that <see cref="SkipsUntouchedRows"/>.
    /// </summary>
    internal void StepTouchedRows(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate, EmbeddingTable table, ReadOnlySpan<int> rows)
    {
        BeginStep(parameters, gradient);
        UpdateTouchedRows(parameters, gradient, learningRate, table, rows);
    }

    /// <summary>The update of <see cref="StepTouchedRows"/>, after <see cref="BeginStep"/>.</summary>
    internal virtual void UpdateTouchedRows(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate, EmbeddingTable table, ReadOnlySpan<int> rows)
        => throw new NotSupportedException($"{GetType().Name} updates every row of an embedding table each step.");

    /// <summary>Counts a step that was applied elsewhere (the trainer's fused per-sample step for plain <see cref="Sgd"/>).</summary>
    internal void CountFusedStep() => StepCount++;

    /// <summary>Applies one step; the state vectors exist and every length matches.</summary>
    protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate);

    /// <summary>State vector <paramref name="index"/>, as a span.</summary>
    protected Span<float> StateVector(int index) => _state[index];

    /// <summary>Forgets every step taken: the state returns to zeros, allocated again on the next step.</summary>
    public void Reset()
    {
        _state = [];
        _checkedLength = -1;
        StepCount = 0;
    }

    /// <summary>Puts back a state saved from <see cref="State"/> and <see cref="StepCount"/>, to resume training.</summary>
    /// <exception cref="ArgumentException">The vectors are not the number this optimizer keeps, or differ in length.</exception>
    public void RestoreState(long stepCount, IReadOnlyList<float[]> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        if (state.Count != StateVectorCount)
        {
            throw new ArgumentException($"{GetType().Name} keeps {StateVectorCount} state vectors; got {state.Count}.", nameof(state));
        }
        if (state.Any(s => s.Length != state[0].Length))
        {
            throw new ArgumentException("The state vectors differ in length.", nameof(state));
        }
        _state = state.Select(s => s.ToArray()).ToArray();
        _checkedLength = -1;
        StepCount = stepCount;
    }

    /// <summary>How many vectors of <see cref="Vector{T}"/> fit; the rest is done one float at a time.</summary>
    private protected static int VectorizedLength(int length) => length - length % Vector<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected static Vector<float> Load(ReadOnlySpan<float> span, int index)
        => Vector.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected static void Store(Vector<float> value, Span<float> span, int index)
        => value.StoreUnsafe(ref MemoryMarshal.GetReference(span), (nuint)index);
}
