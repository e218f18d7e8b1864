using System.Diagnostics;
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
    private Exception? _error;
    private readonly object _gate = new();

    /// <summary>The counters threads update, each on its own cache line.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 3 * CacheLine)]
    private struct Counters
    {
        [FieldOffset(CacheLine)] public int Next;
        [FieldOffset(2 * CacheLine)] public int Pending;
    }

    private const int CacheLine = 64;

    /// <summary>The bytes the pool's worker threads had allocated when they finished their last jobs (for the tests).</summary>
    internal static long WorkerAllocatedBytes => WorkerPool.WorkerAllocatedBytes;

    /// <summary>Computes chunk <paramref name="chunk"/>; <paramref name="participant"/> (0 for the calling thread) tells which thread's scratch space to use.</summary>
    protected abstract void RunChunk(int chunk, int participant);

    /// <summary>
    /// Computes chunks 0 to <paramref name="chunkCount"/> - 1 on at most <paramref name="threads"/> threads (the
    /// calling thread included) and returns when all are done.
    /// </summary>
    /// <returns>How many threads took part (participants 0 to that number - 1).</returns>
    /// <exception cref="Exception">The first exception a chunk threw, rethrown after every thread has stopped.</exception>
    public int Run(int chunkCount, int threads)
    {
        _chunkCount = chunkCount;
        _error = null;
        _counters.Next = 0;
        int helpers = Math.Min(threads, chunkCount) - 1;
        WorkerPool? pool = helpers > 0 ? WorkerPool.TryAcquire(helpers) : null;
        if (pool is null)
        {
            helpers = 0;
        }
        else
        {
            Volatile.Write(ref _counters.Pending, helpers);
            pool.Start(this, helpers);
        }

        Participate(0);

        if (pool is not null)
        {
            WaitForHelpers();
            pool.Release();
        }
        if (_error is { } error)
        {
            _error = null;
            ExceptionDispatchInfo.Capture(error).Throw();
        }
        return helpers + 1;
    }

    private void Participate(int participant)
    {
        int chunk;
        while ((chunk = Interlocked.Increment(ref _counters.Next) - 1) < _chunkCount)
        {
            if (Volatile.Read(ref _error) is not null)
            {
                continue; // another chunk failed: claim the rest without computing them
            }
            try
            {
                RunChunk(chunk, participant);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
        }
    }

    /// <summary>A pool worker reports that it has computed its last chunk.</summary>
    private void Done()
    {
        lock (_gate)
        {
            if (--_counters.Pending == 0)
            {
                Monitor.Pulse(_gate);
            }
        }
    }

    private void WaitForHelpers()
    {
        // The helpers started at about the same time on chunks of about the same size: spin briefly, then sleep.
        long spinUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 2000; // 0.5 ms
        while (Volatile.Read(ref _counters.Pending) > 0)
        {
            if (Stopwatch.GetTimestamp() > spinUntil)
            {
                lock (_gate)
                {
                    while (_counters.Pending > 0)
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
    /// moment and then sleeps.
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
                work.Done();
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
            _work = null;
            return work;
        }
    }
}
