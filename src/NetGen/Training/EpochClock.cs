using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// The time since training started, for the epochs' reports. Reading the clock costs about 20 ns, a tenth of the whole
/// epoch of a network as small as XOR's: while the epochs since the last reading have been that short (under
/// <see cref="ShortEpoch"/> each on average), the clock is read only every <see cref="Stride"/>-th epoch, and the epochs between report the time
/// last read, behind by less than <see cref="Stride"/> short epochs (under 32 us). Longer epochs read it every time.
/// </summary>
internal struct EpochClock
{
    /// <summary>An epoch shorter than this, on average, counts as short.</summary>
    internal static readonly long ShortEpoch = Stopwatch.Frequency / 500_000; // 2 us

    /// <summary>Short epochs read the clock every this many epochs.</summary>
    internal const int Stride = 16;

    private readonly long _start;
    private long _last;
    private int _lastEpoch;
    private TimeSpan _elapsed;
    private bool _short;

    /// <summary>Starts the clock now.</summary>
    public EpochClock() => _start = _last = Stopwatch.GetTimestamp();

    /// <summary>The time from the start to the end of <paramref name="epoch"/> (counting from 1), read again or, for short epochs, as last read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TimeSpan Elapsed(int epoch)
    {
        if (!_short || epoch - _lastEpoch >= Stride)
        {
            Read(epoch);
        }
        return _elapsed;
    }

    /// <summary>The time from the start to now, read again.</summary>
    public TimeSpan Now() => Stopwatch.GetElapsedTime(_start);

    /// <summary>Whether the time <see cref="Elapsed"/> gave for <paramref name="epoch"/> was read at that epoch.</summary>
    public readonly bool WasReadAt(int epoch) => _lastEpoch == epoch;

    private void Read(int epoch)
    {
        long now = Stopwatch.GetTimestamp();
        _short = now - _last < (epoch - _lastEpoch) * ShortEpoch;
        _last = now;
        _lastEpoch = epoch;
        _elapsed = Stopwatch.GetElapsedTime(_start, now);
    }
}
