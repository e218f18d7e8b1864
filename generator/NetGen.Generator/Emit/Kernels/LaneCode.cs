using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// The C# expressions of the lane-form pass (<see cref="LanePassEmitter"/>): 512-bit vectors of 16 floats, built from
/// the scalars each lane holds, rearranged by constant shuffles, stored a lane range at a time. A lane given as null
/// holds nothing the pass reads, so any value may fill it; the expressions pick whichever is cheapest to build.
/// </summary>
internal static class LaneCode
{
    /// <summary>The floats in a vector of the lane-form pass.</summary>
    public const int Lanes = 16;

    public const string Zero = "Vector512<float>.Zero";

    public const string One = "Vector512<float>.One";

    /// <summary>
    /// A Vector512 whose lane L holds <paramref name="lanes"/>[L]: broadcast from a scalar, a Vector128 or a Vector256
    /// where the lanes repeat, put together from halves and quarters where they do not.
    /// </summary>
    public static string Vector(IReadOnlyList<string?> lanes)
    {
        if (lanes.Count != Lanes)
        {
            throw new ArgumentException($"A lane vector has {Lanes} lanes, not {lanes.Count}.", nameof(lanes));
        }
        return Build(Fill(lanes), 0, Lanes);
    }

    /// <summary>
    /// <c>Vector512.Shuffle(source, indices)</c>: lane L of the result is lane <paramref name="from"/>[L] of
    /// <paramref name="source"/>, -1 meaning that lane is not read. The identity is the source itself.
    /// </summary>
    public static string Shuffle(string source, IReadOnlyList<int> from)
    {
        var indices = new int[Lanes];
        bool identity = true;
        for (int lane = 0; lane < Lanes; lane++)
        {
            indices[lane] = from[lane] < 0 ? lane : from[lane];
            identity &= indices[lane] == lane;
        }
        return identity ? source : $"Vector512.Shuffle({source}, Vector512.Create({string.Join(", ", indices)}))";
    }

    /// <summary>
    /// The statements that store lanes 0 .. <paramref name="count"/> - 1 of <paramref name="vector"/> into
    /// <paramref name="span"/> from <paramref name="offset"/> on (an expression of C#): one vector store for 4, 8 or 16
    /// lanes, one scalar store per lane otherwise.
    /// </summary>
    public static IEnumerable<string> StoreLanes(string vector, int count, string span, string offset)
    {
        // The widest pieces first: 16 lanes, then 8, then 4, then one at a time.
        int lane = 0;
        if (count == 16)
        {
            yield return $"{vector}.CopyTo({span}.Slice({offset}, 16));";
            yield break;
        }
        if (count >= 8)
        {
            yield return $"{vector}.GetLower().CopyTo({span}.Slice({offset}, 8));";
            lane = 8;
        }
        if (count - lane >= 4)
        {
            string quarter = lane == 0 ? $"{vector}.GetLower().GetLower()" : $"{vector}.GetUpper().GetLower()";
            yield return $"{quarter}.CopyTo({span}.Slice({Plus(offset, lane)}, 4));";
            lane += 4;
        }
        for (; lane < count; lane++)
        {
            yield return $"{span}[{Plus(offset, lane)}] = {vector}[{lane}];";
        }
    }

    /// <summary>A vector whose lanes 0 .. <paramref name="count"/> - 1 are read from <paramref name="span"/> from <paramref name="offset"/> on (the others unread).</summary>
    public static string LoadLanes(int count, string span, string offset)
        => count switch
        {
            16 => $"Vector512.Create({span}.Slice({offset}, 16))",
            8 => $"Vector512.Create(Vector256.Create({span}.Slice({offset}, 8)))",
            4 => $"Vector512.Create(Vector128.Create({span}.Slice({offset}, 4)))",
            _ => Vector(Enumerable.Range(0, Lanes).Select(lane => lane < count ? $"{span}[{Plus(offset, lane)}]" : null).ToList()),
        };

    /// <summary>The C# of <paramref name="offset"/> + <paramref name="add"/>, without a "+ 0".</summary>
    public static string Plus(string offset, int add)
        => add == 0 ? offset : int.TryParse(offset, out int start) ? (start + add).ToString() : $"{offset} + {add}";

    /// <summary>
    /// Each unread lane takes the value of the lanes a period away from it, for the shortest period the read lanes
    /// repeat with, so that a repeating pattern can be broadcast.
    /// </summary>
    private static string[] Fill(IReadOnlyList<string?> lanes)
    {
        foreach (int period in new[] { 1, 2, 4, 8, 16 })
        {
            var pattern = new string?[period];
            bool repeats = true;
            for (int lane = 0; lane < Lanes && repeats; lane++)
            {
                string? value = lanes[lane];
                if (value is null)
                {
                    continue;
                }
                ref string? seen = ref pattern[lane % period];
                repeats = seen is null || seen == value;
                seen = value;
            }
            if (repeats)
            {
                return Enumerable.Range(0, Lanes).Select(lane => pattern[lane % period] ?? "0f").ToArray();
            }
        }
        throw new InvalidOperationException("Sixteen lanes always repeat with a period of 16.");
    }

    private static string Build(string[] lanes, int start, int width)
    {
        string type = width switch { 16 => "Vector512", 8 => "Vector256", 4 => "Vector128", _ => throw new ArgumentOutOfRangeException(nameof(width)) };
        var values = lanes.Skip(start).Take(width).ToArray();
        if (values.All(value => value == values[0]))
        {
            return $"{type}.Create({values[0]})";
        }
        if (width == 4)
        {
            return $"{type}.Create({string.Join(", ", values)})";
        }
        if (width == 16 && values.Take(4).SequenceEqual(values.Skip(4).Take(4)) && values.Take(8).SequenceEqual(values.Skip(8)))
        {
            return $"{type}.Create({Build(lanes, start, 4)})";
        }
        int half = width / 2;
        if (values.Take(half).SequenceEqual(values.Skip(half)))
        {
            return $"{type}.Create({Build(lanes, start, half)})";
        }
        if (width == 16 && values.Distinct().Count() == values.Length)
        {
            return $"{type}.Create({string.Join(", ", values)})";
        }
        return $"{type}.Create({Build(lanes, start, half)}, {Build(lanes, start + half, half)})";
    }
}
