using System.Diagnostics;
using System.Runtime.Intrinsics;
using NetGen;

namespace WebDigits.Digits;

/// <summary>How many predictions per second a network makes here, and which vector width its generated loops take.</summary>
/// <param name="Predictions">How many predictions were timed.</param>
/// <param name="Elapsed">How long they took.</param>
public readonly record struct PredictionSpeed(long Predictions, TimeSpan Elapsed)
{
    /// <summary>The predictions per second.</summary>
    public double PredictionsPerSecond => Predictions / Elapsed.TotalSeconds;

    /// <summary>
    /// The vector widths the runtime accelerates, as the generated code tests them (it takes the widest accelerated
    /// branch): "Vector128 yes, Vector256 no, Vector512 no" on WebAssembly with SIMD.
    /// </summary>
    public static string VectorPath
        => $"Vector128 {YesNo(Vector128.IsHardwareAccelerated)}, Vector256 {YesNo(Vector256.IsHardwareAccelerated)}, Vector512 {YesNo(Vector512.IsHardwareAccelerated)}";

    /// <summary>
    /// Predicts <paramref name="input"/> over and over for at least <paramref name="duration"/> (after a short warm-up),
    /// in rounds of 100 so that the clock is read rarely.
    /// </summary>
    public static PredictionSpeed Measure<TNetwork>(TNetwork network, ReadOnlySpan<float> input, TimeSpan duration)
        where TNetwork : class, INetwork<TNetwork>
    {
        const int Round = 100;
        Span<float> output = stackalloc float[TNetwork.OutputSize];
        for (int i = 0; i < Round; i++)
        {
            network.Predict(input, output);
        }
        long predictions = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (int i = 0; i < Round; i++)
            {
                network.Predict(input, output);
            }
            predictions += Round;
        }
        return new PredictionSpeed(predictions, clock.Elapsed);
    }

    private static string YesNo(bool value) => value ? "yes" : "no";
}
