namespace NetGen.Tests;

/// <summary>Measuring what a step allocates in steady state.</summary>
internal static class Allocations
{
    /// <summary>
    /// Bytes the current thread allocates running <paramref name="step"/>, the least over several windows after a
    /// warm-up past tiered compilation: the runtime may allocate once while it swaps in optimized code (seen in a full
    /// test run, never alone), but a step that allocates shows in every window.
    /// </summary>
    public static long LeastPerWindow(Action step, int warmUp = 200, int windows = 5, int stepsPerWindow = 50)
    {
        for (int i = 0; i < warmUp; i++)
        {
            step();
        }
        long least = long.MaxValue;
        for (int window = 0; window < windows; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < stepsPerWindow; i++)
            {
                step();
            }
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
