using System.Diagnostics;
using System.Numerics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// A job of numbered chunks that any number of threads may compute at once, each chunk exactly once, in any order.
/// One instance is reused for every run, so a run allocates nothing. <see cref="Run"/> lends the job to idle workers of
/// a small process-wide pool and computes chunks on the calling thread too; when the pool is busy (another trainer
/// runs on it), the calling thread computes every chunk itself. The results must not depend on which thread computed
/// which chunk: that is up to <see cref="RunChunk"/>.
/// </summary>
internal abstract class ChunkWork
{
    private Counters _counters;
    private int _chunkCount;
    private int _participants;
    private int _generation;
    private int _computedBy;
    private Exception? _error;
    private readonly object _gate = new();

    /// <summary>
    /// The counters threads update, each on its own cache line. <see cref="Counters.Claim"/> holds the run's
    /// generation (high half) and the next chunk to hand out (low half), so that a worker that wakes late can never
    /// claim a chunk of a run that is over.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 3 * CacheLine)]
    private struct Counters
    {
        [FieldOffset(CacheLine)] public long Claim;
        [FieldOffset(2 * CacheLine)] public int Completed;
    }

    private const int CacheLine = 64;

    /// <summary>The bytes the pool's worker threads had allocated when they finished their last jobs (for the tests).</summary>
    internal static long WorkerAllocatedBytes => WorkerPool.WorkerAllocatedBytes;

    /// <summary>Computes chunk <paramref name="chunk"/>; <paramref name="participant"/> (0 for the calling thread) tells which thread's scratch space to use.</summary>
    protected abstract void RunChunk(int chunk, int participant);

    /// <summary>
    /// Computes chunks 0 to <paramref name="chunkCount"/> - 1 on at most <paramref name="threads"/> threads (the
    /// calling thread included) and returns when all are done. The calling thread never waits for a worker that has
    /// not started a chunk: it takes every chunk still unclaimed.
    /// </summary>
    /// <returns>How many threads computed chunks (up to 32 are told apart).</returns>
    /// <exception cref="Exception">The first exception a chunk threw, rethrown once every chunk is done.</exception>
    public int Run(int chunkCount, int threads)
    {
        int helpers = Math.Min(threads, chunkCount) - 1;
        WorkerPool? pool = helpers > 0 ? WorkerPool.TryAcquire(helpers) : null;
        if (pool is null)
        {
            helpers = 0;
        }
        _chunkCount = chunkCount;
        _participants = helpers + 1;
        _error = null;
        _computedBy = 0;
        Volatile.Write(ref _counters.Completed, 0);
        _generation++;
        Volatile.Write(ref _counters.Claim, (long)_generation << 32); // publishes the run: everything above is set
        try
        {
            pool?.Start(this, helpers);
            Participate(0);
            WaitForChunks();
        }
        finally
        {
            pool?.Release();
        }
        if (_error is { } error)
        {
            _error = null;
            ExceptionDispatchInfo.Capture(error).Throw();
        }
        return BitOperations.PopCount((uint)Volatile.Read(ref _computedBy));
    }

    /// <summary>Claims and computes chunks of the current run until none is left.</summary>
    private void Participate(int participant)
    {
        while (true)
        {
            long claim = Volatile.Read(ref _counters.Claim);
            int next = (int)claim;
            // Were a newer run published after the read, the exchange below fails: the checks see this run's values.
            if (next >= _chunkCount || participant >= _participants)
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _counters.Claim, claim + 1, claim) != claim)
            {
                continue;
            }
            int bit = 1 << Math.Min(participant, 31);
            if ((Volatile.Read(ref _computedBy) & bit) == 0)
            {
                Interlocked.Or(ref _computedBy, bit);
            }
            if (Volatile.Read(ref _error) is null)
            {
                try
                {
                    RunChunk(next, participant);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, e, null);
                }
            }
            if (Interlocked.Increment(ref _counters.Completed) == _chunkCount && participant != 0)
            {
                lock (_gate)
                {
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }

    /// <summary>Waits until the chunks workers are still computing are done.</summary>
    private void WaitForChunks()
    {
        // The workers started at about the same time on chunks of about the same size: spin briefly, then sleep.
        long spinUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 2000; // 0.5 ms
        while (Volatile.Read(ref _counters.Completed) < _chunkCount)
        {
            if (Stopwatch.GetTimestamp() > spinUntil)
            {
                lock (_gate)
                {
                    while (Volatile.Read(ref _counters.Completed) < _chunkCount)
                    {
                        Monitor.Wait(_gate);
                    }
                }
                return;
            }
            Thread.SpinWait(20);
        }
    }

    /// <summary>
    /// Background threads shared by every <see cref="ChunkWork"/> in the process, one job at a time. They are created
    /// on first need (as many as the largest job asked for) and live as long as the process; an idle worker spins for a
    /// moment and then sleeps. The pool is lent for one run at a time; a worker that wakes after the run is over finds
    /// no chunk left to claim and goes back to waiting.
    /// </summary>
    private sealed class WorkerPool
    {
        private static readonly WorkerPool s_shared = new();
        private int _busy;
        private Worker[] _workers = [];

        public static WorkerPool? TryAcquire(int helpers)
        {
            WorkerPool pool = s_shared;
            if (Interlocked.CompareExchange(ref pool._busy, 1, 0) != 0)
            {
                return null;
            }
            if (pool._workers.Length < helpers)
            {
                try
                {
                    var workers = new Worker[helpers];
                    pool._workers.CopyTo(workers, 0);
                    for (int i = pool._workers.Length; i < helpers; i++)
                    {
                        workers[i] = new Worker(i + 1);
                    }
                    pool._workers = workers;
                }
                catch
                {
                    pool.Release();
                    throw;
                }
            }
            return pool;
        }

        public void Start(ChunkWork work, int helpers)
        {
            for (int i = 0; i < helpers; i++)
            {
                _workers[i].Start(work);
            }
        }

        public void Release() => Volatile.Write(ref _busy, 0);

        public static long WorkerAllocatedBytes
        {
            get
            {
                long sum = 0;
                foreach (Worker worker in Volatile.Read(ref s_shared._workers))
                {
                    sum += worker.AllocatedBytes;
                }
                return sum;
            }
        }
    }

    private sealed class Worker
    {
        private readonly object _gate = new();
        private readonly int _participant;
        private ChunkWork? _work;
        private long _allocatedBytes;

        /// <summary>The bytes this worker's thread had allocated when it finished its last job.</summary>
        public long AllocatedBytes => Volatile.Read(ref _allocatedBytes);

        public Worker(int participant)
        {
            _participant = participant;
            var thread = new Thread(Loop) { IsBackground = true, Name = "NetGen trainer worker " + participant };
            thread.Start();
        }

        public void Start(ChunkWork work)
        {
            lock (_gate)
            {
                Volatile.Write(ref _work, work);
                Monitor.Pulse(_gate);
            }
        }

        private void Loop()
        {
            while (true)
            {
                ChunkWork work = Take();
                work.Participate(_participant);
                Volatile.Write(ref _allocatedBytes, GC.GetAllocatedBytesForCurrentThread());
            }
        }

        private ChunkWork Take()
        {
            // Training calls one step after another: spin for a while before sleeping, so the next step starts at once.
            long spinUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 500; // 2 ms
            ChunkWork? work;
            while ((work = Volatile.Read(ref _work)) is null && Stopwatch.GetTimestamp() < spinUntil)
            {
                Thread.SpinWait(20);
            }
            if (work is null)
            {
                lock (_gate)
                {
                    while ((work = _work) is null)
                    {
                        Monitor.Wait(_gate);
                    }
                }
            }
            return Interlocked.Exchange(ref _work, null) ?? work; // (a newer job may have replaced the one read)
        }
    }
}
