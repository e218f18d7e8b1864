namespace NetGen.Benchmarks;

/// <summary>The checks run in each GlobalSetup: every implementation computes the same numbers as NetGen.</summary>
public static class Check
{
    /// <summary>Throws unless every value of <paramref name="actual"/> is within <paramref name="tolerance"/> of <paramref name="expected"/>.</summary>
    public static void Close(string what, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance)
    {
        if (expected.Length != actual.Length)
        {
            throw new InvalidOperationException($"{what}: {actual.Length} values, expected {expected.Length}.");
        }
        int worst = 0;
        float worstDifference = 0f;
        for (int i = 0; i < expected.Length; i++)
        {
            float difference = MathF.Abs(expected[i] - actual[i]);
            if (!(difference <= worstDifference))
            {
                worst = i;
                worstDifference = float.IsNaN(difference) ? float.PositiveInfinity : difference;
            }
        }
        if (worstDifference > tolerance)
        {
            throw new InvalidOperationException(
                $"{what} differs from NetGen: at index {worst} {actual[worst]} instead of {expected[worst]} " +
                $"(difference {worstDifference}, tolerance {tolerance}).");
        }
    }

    /// <summary>
    /// Collects the garbage of a setup and runs its finalizers now (TorchSharp's tensors have finalizers), so that they
    /// do not run on the finalizer thread during a measurement: BenchmarkDotNet counts allocations process-wide
    /// (GC.GetTotalAllocatedBytes) and, in process, would charge them to the benchmark being measured.
    /// </summary>
    public static void SettleGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>
    /// Bytes allocated per call by <paramref name="operation"/> on this thread, after a warm-up that lets tiered
    /// compilation finish: an exact, thread-local figure to tell a real allocation from background noise in
    /// BenchmarkDotNet's process-wide Allocated column.
    /// </summary>
    public static double AllocatedBytesPerCall(Action operation, int calls)
    {
        for (int i = 0; i < Math.Max(calls, 1000); i++)
        {
            operation();
        }
        Thread.Sleep(300); // the tier-1 JIT works in the background after a delay
        for (int i = 0; i < calls; i++)
        {
            operation();
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            operation();
        }
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;
    }

    /// <summary>
    /// As <see cref="AllocatedBytesPerCall"/>, counted over the whole process (for steps that use worker threads):
    /// the least of a few windows, since other threads of the process may allocate now and then.
    /// </summary>
    public static double AllocatedBytesPerCallInProcess(Action operation, int calls)
    {
        AllocatedBytesPerCall(operation, calls); // warm up
        long least = long.MaxValue;
        for (int window = 0; window < 5; window++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < calls; i++)
            {
                operation();
            }
            least = Math.Min(least, GC.GetTotalAllocatedBytes(precise: true) - before);
        }
        return least / (double)calls;
    }
}
