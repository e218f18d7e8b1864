using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Benchmarks;

/// <summary>
/// What this machine's core can do at most, measured on it (<c>--machine</c>): the fp32 multiply-add peak of one core
/// at each vector width, and how fast one core reads a buffer held in each level of cache. From these, the lower bounds
/// that the README's "what limits each row" quotes: W2's weights read from the second-level cache, W3's arithmetic at
/// the peak, W6's 64-unit step reading its weights. Machines differ (one run here was a Zen 3 with AVX2, another a
/// Zen 5 with full-width AVX-512), so a bound is only meaningful beside the figures of the same machine.
/// </summary>
internal static class MachineBounds
{
    private const int Trials = 7;

    /// <summary>Prints the peaks, the read bandwidths and the bounds they set.</summary>
    public static int Run()
    {
        Console.WriteLine($"Processor: {ProcessorName()}; {Environment.ProcessorCount} cores; Vector512 {(Vector512.IsHardwareAccelerated ? "accelerated" : "not accelerated")}, Vector256 {(Vector256.IsHardwareAccelerated ? "accelerated" : "not accelerated")}.");
        Console.WriteLine("Best of 7 trials, one thread.");
        Console.WriteLine();

        double peak512 = Vector512.IsHardwareAccelerated ? Best(FmaPeak512) : 0;
        double peak256 = Vector256.IsHardwareAccelerated ? Best(FmaPeak256) : 0;
        double peak128 = Best(FmaPeak128);
        double peak = Math.Max(peak512, Math.Max(peak256, peak128));
        Console.WriteLine("| fp32 multiply-add, 16 independent chains | GFLOP/s |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| 512-bit | {Format(peak512)} |");
        Console.WriteLine($"| 256-bit | {Format(peak256)} |");
        Console.WriteLine($"| 128-bit | {Format(peak128)} |");
        Console.WriteLine();

        Console.WriteLine("| sequential read of a buffer of | GB/s |");
        Console.WriteLine("|---|---:|");
        var bandwidths = new Dictionary<int, double>();
        foreach (int bytes in new[] { 16 << 10, 98_304, 131_072, 256 << 10, W2WeightBytes, 8 << 20, 64 << 20 })
        {
            bandwidths[bytes] = ReadBandwidth(bytes);
            Console.WriteLine($"| {bytes / 1024.0:0.#} KB | {bandwidths[bytes]:0.0} |");
        }
        Console.WriteLine();

        Console.WriteLine("| bound | at least |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| W2: its {W2WeightBytes:N0} B of weights read once at {bandwidths[W2WeightBytes]:0} GB/s | {W2WeightBytes / bandwidths[W2WeightBytes] / 1e3:0.00} us |");
        Console.WriteLine($"| W2: its {W2Flops:N0} FLOP at the peak | {W2Flops / peak / 1e3:0.00} us |");
        Console.WriteLine($"| W3: a batch's {W3FlopsPerBatch / 1e6:0.0} MFLOP at the peak | {W3FlopsPerBatch / peak / 1e3:0} us |");
        Console.WriteLine($"| W6 LSTM 64 Step: {LstmStepBytes:N0} B of weights at {bandwidths[131_072]:0} GB/s | {LstmStepBytes / bandwidths[131_072] / 1e3:0.00} us |");
        Console.WriteLine($"| W6 GRU 64 Step: {GruStepBytes:N0} B of weights at {bandwidths[98_304]:0} GB/s | {GruStepBytes / bandwidths[98_304] / 1e3:0.00} us |");
        return 0;
    }

    /// <summary>W2's weights and biases, 784-128-10 in floats.</summary>
    private const int W2WeightBytes = (784 * 128 + 128 + 128 * 10 + 10) * sizeof(float);

    /// <summary>W2's multiply-adds, two FLOP each.</summary>
    private const double W2Flops = 2.0 * (784 * 128 + 128 * 10);

    /// <summary>
    /// W3's batch of 64: per sample the forward (784x128 and 128x10 multiply-adds), the weight gradients (the same
    /// counts) and the second layer's input gradient (128x10); the first layer needs no input gradient.
    /// </summary>
    private const double W3FlopsPerBatch = 64 * 2.0 * (2 * 784 * 128 + 3 * 128 * 10);

    /// <summary>An LSTM step of 64 units on 64 inputs: W_ih and W_hh, each 4x64 rows of 64 floats.</summary>
    private const int LstmStepBytes = 2 * 4 * 64 * 64 * sizeof(float);

    /// <summary>A GRU step of 64 units on 64 inputs: W_ih and W_hh, each 3x64 rows of 64 floats.</summary>
    private const int GruStepBytes = 2 * 3 * 64 * 64 * sizeof(float);

    private static string Format(double gflops) => gflops == 0 ? "not accelerated" : gflops.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    private static double Best(Func<double> measure)
    {
        double best = 0;
        for (int trial = 0; trial < Trials; trial++)
        {
            best = Math.Max(best, measure());
        }
        return best;
    }

    private const int FmaIterations = 4_000_000;

    private static double FmaPeak512()
    {
        long start = Stopwatch.GetTimestamp();
        Keep(FmaChains512(FmaIterations));
        return FmaIterations * 16.0 * 16 * 2 / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9;
    }

    /// <summary>Sixteen independent chains of multiply-adds, kept in registers: no call inside, or the JIT spills them.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float FmaChains512(int iterations)
    {
        var x = Vector512.Create(0.999999f);
        var y = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(0f), a1 = Vector512.Create(1f), a2 = Vector512.Create(2f), a3 = Vector512.Create(3f);
        Vector512<float> a4 = Vector512.Create(4f), a5 = Vector512.Create(5f), a6 = Vector512.Create(6f), a7 = Vector512.Create(7f);
        Vector512<float> a8 = Vector512.Create(8f), a9 = Vector512.Create(9f), a10 = Vector512.Create(10f), a11 = Vector512.Create(11f);
        Vector512<float> a12 = Vector512.Create(12f), a13 = Vector512.Create(13f), a14 = Vector512.Create(14f), a15 = Vector512.Create(15f);
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y); a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y); a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y); a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y); a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y); a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y); a11 = Vector512.FusedMultiplyAdd(a11, x, y);
            a12 = Vector512.FusedMultiplyAdd(a12, x, y); a13 = Vector512.FusedMultiplyAdd(a13, x, y);
            a14 = Vector512.FusedMultiplyAdd(a14, x, y); a15 = Vector512.FusedMultiplyAdd(a15, x, y);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15);
    }

    private static double FmaPeak256()
    {
        long start = Stopwatch.GetTimestamp();
        Keep(FmaChains256(FmaIterations));
        return FmaIterations * 16.0 * 8 * 2 / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9;
    }

    /// <summary>Sixteen independent chains of multiply-adds, kept in registers: no call inside, or the JIT spills them.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float FmaChains256(int iterations)
    {
        var x = Vector256.Create(0.999999f);
        var y = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(0f), a1 = Vector256.Create(1f), a2 = Vector256.Create(2f), a3 = Vector256.Create(3f);
        Vector256<float> a4 = Vector256.Create(4f), a5 = Vector256.Create(5f), a6 = Vector256.Create(6f), a7 = Vector256.Create(7f);
        Vector256<float> a8 = Vector256.Create(8f), a9 = Vector256.Create(9f), a10 = Vector256.Create(10f), a11 = Vector256.Create(11f);
        Vector256<float> a12 = Vector256.Create(12f), a13 = Vector256.Create(13f), a14 = Vector256.Create(14f), a15 = Vector256.Create(15f);
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, x, y); a1 = Vector256.FusedMultiplyAdd(a1, x, y);
            a2 = Vector256.FusedMultiplyAdd(a2, x, y); a3 = Vector256.FusedMultiplyAdd(a3, x, y);
            a4 = Vector256.FusedMultiplyAdd(a4, x, y); a5 = Vector256.FusedMultiplyAdd(a5, x, y);
            a6 = Vector256.FusedMultiplyAdd(a6, x, y); a7 = Vector256.FusedMultiplyAdd(a7, x, y);
            a8 = Vector256.FusedMultiplyAdd(a8, x, y); a9 = Vector256.FusedMultiplyAdd(a9, x, y);
            a10 = Vector256.FusedMultiplyAdd(a10, x, y); a11 = Vector256.FusedMultiplyAdd(a11, x, y);
            a12 = Vector256.FusedMultiplyAdd(a12, x, y); a13 = Vector256.FusedMultiplyAdd(a13, x, y);
            a14 = Vector256.FusedMultiplyAdd(a14, x, y); a15 = Vector256.FusedMultiplyAdd(a15, x, y);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15);
    }

    private static double FmaPeak128()
    {
        long start = Stopwatch.GetTimestamp();
        Keep(FmaChains128(FmaIterations));
        return FmaIterations * 16.0 * 4 * 2 / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9;
    }

    /// <summary>Sixteen independent chains of multiply-adds, kept in registers: no call inside, or the JIT spills them.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float FmaChains128(int iterations)
    {
        var x = Vector128.Create(0.999999f);
        var y = Vector128.Create(1e-7f);
        Vector128<float> a0 = Vector128.Create(0f), a1 = Vector128.Create(1f), a2 = Vector128.Create(2f), a3 = Vector128.Create(3f);
        Vector128<float> a4 = Vector128.Create(4f), a5 = Vector128.Create(5f), a6 = Vector128.Create(6f), a7 = Vector128.Create(7f);
        Vector128<float> a8 = Vector128.Create(8f), a9 = Vector128.Create(9f), a10 = Vector128.Create(10f), a11 = Vector128.Create(11f);
        Vector128<float> a12 = Vector128.Create(12f), a13 = Vector128.Create(13f), a14 = Vector128.Create(14f), a15 = Vector128.Create(15f);
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector128.FusedMultiplyAdd(a0, x, y); a1 = Vector128.FusedMultiplyAdd(a1, x, y);
            a2 = Vector128.FusedMultiplyAdd(a2, x, y); a3 = Vector128.FusedMultiplyAdd(a3, x, y);
            a4 = Vector128.FusedMultiplyAdd(a4, x, y); a5 = Vector128.FusedMultiplyAdd(a5, x, y);
            a6 = Vector128.FusedMultiplyAdd(a6, x, y); a7 = Vector128.FusedMultiplyAdd(a7, x, y);
            a8 = Vector128.FusedMultiplyAdd(a8, x, y); a9 = Vector128.FusedMultiplyAdd(a9, x, y);
            a10 = Vector128.FusedMultiplyAdd(a10, x, y); a11 = Vector128.FusedMultiplyAdd(a11, x, y);
            a12 = Vector128.FusedMultiplyAdd(a12, x, y); a13 = Vector128.FusedMultiplyAdd(a13, x, y);
            a14 = Vector128.FusedMultiplyAdd(a14, x, y); a15 = Vector128.FusedMultiplyAdd(a15, x, y);
        }
        return Vector128.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15);
    }

    /// <summary>GB/s of one core reading <paramref name="bytes"/> again and again, eight vectors in flight (512-bit where accelerated).</summary>
    private static double ReadBandwidth(int bytes)
    {
        int floats = bytes / sizeof(float) / 128 * 128;
        float[] buffer = GC.AllocateUninitializedArray<float>(floats, pinned: true);
        buffer.AsSpan().Fill(1f);
        int passes = (int)Math.Max(3, 2e9 / bytes / Trials);
        double best = 0;
        for (int trial = 0; trial < Trials; trial++)
        {
            long start = Stopwatch.GetTimestamp();
            Keep(Vector512.IsHardwareAccelerated ? ReadPasses512(buffer, passes) : ReadPasses256(buffer, passes));
            best = Math.Max(best, (double)floats * sizeof(float) * passes / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9);
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float ReadPasses512(float[] buffer, int passes)
    {
        ref float start = ref buffer[0];
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int pass = 0; pass < passes; pass++)
        {
            for (nuint i = 0; i < (nuint)buffer.Length; i += 128)
            {
                a0 += Vector512.LoadUnsafe(ref start, i);
                a1 += Vector512.LoadUnsafe(ref start, i + 16);
                a2 += Vector512.LoadUnsafe(ref start, i + 32);
                a3 += Vector512.LoadUnsafe(ref start, i + 48);
                a4 += Vector512.LoadUnsafe(ref start, i + 64);
                a5 += Vector512.LoadUnsafe(ref start, i + 80);
                a6 += Vector512.LoadUnsafe(ref start, i + 96);
                a7 += Vector512.LoadUnsafe(ref start, i + 112);
            }
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float ReadPasses256(float[] buffer, int passes)
    {
        ref float start = ref buffer[0];
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int pass = 0; pass < passes; pass++)
        {
            for (nuint i = 0; i < (nuint)buffer.Length; i += 64)
            {
                a0 += Vector256.LoadUnsafe(ref start, i);
                a1 += Vector256.LoadUnsafe(ref start, i + 8);
                a2 += Vector256.LoadUnsafe(ref start, i + 16);
                a3 += Vector256.LoadUnsafe(ref start, i + 24);
                a4 += Vector256.LoadUnsafe(ref start, i + 32);
                a5 += Vector256.LoadUnsafe(ref start, i + 40);
                a6 += Vector256.LoadUnsafe(ref start, i + 48);
                a7 += Vector256.LoadUnsafe(ref start, i + 56);
            }
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
    }

    private static float _sink;

    private static void Keep(float value) => _sink += value;

    private static string ProcessorName()
    {
        try
        {
            string[] lines = File.ReadAllLines("/proc/cpuinfo");
            string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
            return $"{Field("model name")}, cpu family {Field("cpu family")}, model {Field("model\t")}";
        }
        catch (IOException)
        {
            return "unknown (no /proc/cpuinfo)";
        }
    }
}
