using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Tells when training has diverged without producing NaN: both the loss and the parameters' root mean square have
/// grown more than <see cref="RunawayFactor"/> times from where training started. Either alone can grow that much in a
/// sound run (the parameters of a regression on unscaled targets, the loss of a network that starts almost perfect),
/// but not both: gradient descent that works makes the loss smaller, and a step too large for the loss's curvature
/// throws the parameters far out and the loss up with them. Keeps the parameters of the last epoch that passed, to give
/// them back when training stops.
/// </summary>
internal sealed class DivergenceCheck
{
    /// <summary>How many times its starting value the loss and the parameters' root mean square must both exceed.</summary>
    public const double RunawayFactor = 1000;

    private double _startLoss;
    private readonly double _startRms;
    private readonly float[] _sound;
    private int _soundEpoch;

    /// <summary>
    /// Starts watching <paramref name="parameters"/>, whose mean loss on the training data is <paramref name="startLoss"/>,
    /// or NaN when the first batch's loss will give it (<see cref="TakeStartLoss"/>).
    /// </summary>
    public DivergenceCheck(float[] parameters, double startLoss)
    {
        _startLoss = startLoss;
        _startRms = RootMeanSquare(parameters);
        _sound = (float[])parameters.Clone();
    }

    /// <summary>
    /// Takes <paramref name="firstBatchLoss"/> as the start loss when none was given: the mean loss of a first batch
    /// that holds the whole training data, computed with the parameters training started from. Later calls change nothing.
    /// </summary>
    public void TakeStartLoss(float firstBatchLoss)
    {
        if (double.IsNaN(_startLoss))
        {
            _startLoss = firstBatchLoss;
        }
    }

    /// <summary>Whether the loss and the parameters have both run away (the parameters are measured only when the loss has).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool HasRunAway(float loss, ReadOnlySpan<float> parameters)
        => loss > RunawayFactor * _startLoss && RootMeanSquare(parameters) > RunawayFactor * _startRms;

    /// <summary>Remembers <paramref name="parameters"/> as those of the last epoch that passed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Passed(int epoch, ReadOnlySpan<float> parameters)
    {
        if (parameters.Length > SmallCopy)
        {
            parameters.CopyTo(_sound);
        }
        else
        {
            // A few vectors: copied here, without the call and the size dispatch of a general copy, which for a network
            // as small as XOR's cost a twentieth of the epoch.
            ref float from = ref MemoryMarshal.GetReference(parameters);
            ref float to = ref MemoryMarshal.GetArrayDataReference(_sound);
            int i = 0;
            for (; i <= parameters.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
            }
            for (; i < parameters.Length; i++)
            {
                Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
            }
        }
        _soundEpoch = epoch;
    }

    /// <summary>Parameter vectors up to this many floats are copied by <see cref="Passed"/> itself.</summary>
    private const int SmallCopy = 256;

    /// <summary>Puts back the parameters of the last sound epoch and returns the exception for a loss or gradient that is not finite.</summary>
    public TrainingDivergedException NotFiniteError(int epoch, int? batch, float loss, Span<float> parameters)
        => TrainingDivergedException.NotFinite(epoch, batch, loss, Restore(parameters));

    /// <summary>Puts back the parameters of the last sound epoch and returns the exception for a run-away loss and parameters.</summary>
    public TrainingDivergedException RunAwayError(int epoch, int? batch, float loss, Span<float> parameters)
    {
        double rms = RootMeanSquare(parameters);
        return TrainingDivergedException.RanAway(epoch, batch, loss, _startLoss, rms, _startRms, Restore(parameters));
    }

    private string Restore(Span<float> parameters)
    {
        _sound.CopyTo(parameters);
        return _soundEpoch == 0
            ? "The network is given back the parameters training started from."
            : $"The network is given back the parameters it had at the end of epoch {_soundEpoch}.";
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double RootMeanSquare(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += (double)v * v;
        }
        return values.IsEmpty ? 0 : Math.Sqrt(sum / values.Length);
    }
}
