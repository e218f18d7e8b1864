using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// A small, fast pseudo-random generator (xoshiro128**, seeded through SplitMix64) whose sequence depends only on
/// the seed: the same on every platform and .NET version, so that training with the same seed gives bitwise the same
/// parameters. A mutable struct: pass it by <see langword="ref"/>.
/// </summary>
public struct DeterministicRandom
{
    private uint _s0, _s1, _s2, _s3;

    /// <summary>Starts the sequence for <paramref name="seed"/>.</summary>
    public DeterministicRandom(int seed)
    {
        ulong state = unchecked((ulong)seed);
        ulong a = SplitMix64(ref state), b = SplitMix64(ref state);
        _s0 = (uint)a;
        _s1 = (uint)(a >> 32);
        _s2 = (uint)b;
        _s3 = (uint)(b >> 32);
        if ((_s0 | _s1 | _s2 | _s3) == 0)
        {
            _s0 = 1; // the one state xoshiro cannot leave
        }
    }

    /// <summary>
    /// A generator for stream <paramref name="stream"/>, seeded from this one's state, which is left unchanged: the
    /// streams of one state differ from each other and from this generator's own sequence.
    /// </summary>
    internal readonly DeterministicRandom Fork(int stream)
    {
        ulong state = ((ulong)_s1 << 32 | _s0) ^ BitOperations.RotateLeft((ulong)_s3 << 32 | _s2, 29) ^ (ulong)(uint)stream * 0xD1B54A32D192ED03UL;
        DeterministicRandom forked = default;
        ulong a = SplitMix64(ref state), b = SplitMix64(ref state);
        forked._s0 = (uint)a;
        forked._s1 = (uint)(a >> 32);
        forked._s2 = (uint)b;
        forked._s3 = (uint)(b >> 32);
        if ((forked._s0 | forked._s1 | forked._s2 | forked._s3) == 0)
        {
            forked._s0 = 1;
        }
        return forked;
    }

    /// <summary>Whether <paramref name="other"/> is at the same point of the same sequence.</summary>
    internal readonly bool SameState(in DeterministicRandom other)
        => _s0 == other._s0 && _s1 == other._s1 && _s2 == other._s2 && _s3 == other._s3;

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 32 uniformly distributed bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint NextUInt32()
    {
        uint result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        uint t = _s1 << 9;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 11);
        return result;
    }

    /// <summary>A uniform float in [0, 1), with 24 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextSingle() => (NextUInt32() >> 8) * (1f / (1 << 24));

    /// <summary>A uniform float in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public float NextSingle(float min, float max) => min + (max - min) * NextSingle();

    /// <summary>A uniform integer in [0, <paramref name="exclusiveMax"/>), without modulo bias (Lemire's method).</summary>
    public int NextInt32(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        uint range = (uint)exclusiveMax;
        ulong product = (ulong)NextUInt32() * range;
        if ((uint)product < range)
        {
            uint threshold = (0u - range) % range;
            while ((uint)product < threshold)
            {
                product = (ulong)NextUInt32() * range;
            }
        }
        return (int)(product >> 32);
    }

    /// <summary>A standard normal sample (mean 0, variance 1) by the Box-Muller transform.</summary>
    public float NextGaussian()
    {
        float u1 = 1f - NextSingle(); // in (0, 1], so the logarithm is finite
        float u2 = NextSingle();
        return MathF.Sqrt(-2f * MathF.Log(u1)) * MathF.Cos(2f * MathF.PI * u2);
    }

    /// <summary>Puts <paramref name="items"/> in a uniformly random order (Fisher-Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt32(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
