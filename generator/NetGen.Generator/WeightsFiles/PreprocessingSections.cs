using System;
using System.Collections.Generic;
using System.Text;

namespace NetGen.Generator;

/// <summary>
/// Reads the sections of a version 2 weights record (docs/file-format.md, "Weights file with preprocessing"), checked
/// as the runtime checks them: the limits, unknown required sections, the standardizer's size and values.
/// </summary>
internal static class PreprocessingSections
{
    private const string StandardizerName = "standardizer";
    private const int MaxSections = 16;
    private const int MaxNameBytes = 64;

    /// <summary>
    /// Reads the sections in <paramref name="record"/> from <paramref name="start"/> to <paramref name="end"/> (the
    /// checksum's offset). Returns what is wrong, or null; <paramref name="standardizerBits"/> gets the bits of the
    /// standardizer's means then deviations, or stays empty when there is none.
    /// </summary>
    /// <remarks>Whether the standardizer's size is the network's input size is checked where the network is known (<see cref="CompiledPreprocessing"/>).</remarks>
    public static string? Read(byte[] record, int start, int end, out EquatableArray<int> standardizerBits)
    {
        standardizerBits = EquatableArray<int>.Empty;
        int position = start;
        if (end - position < 4)
        {
            return "its version 2 record ends before its section count";
        }
        uint count = ReadUInt32(record, position);
        position += 4;
        if (count is 0 or > MaxSections)
        {
            return $"its section count is {count}; expected 1 to {MaxSections}";
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            if (end - position < 2)
            {
                return $"its record ends inside section {i}";
            }
            int nameLength = record[position] | record[position + 1] << 8;
            if (nameLength is 0 or > MaxNameBytes || end - position < 2 + nameLength + 8)
            {
                return $"section {i} has an invalid name length or ends early";
            }
            string name = Encoding.UTF8.GetString(record, position + 2, nameLength);
            position += 2 + nameLength;
            int version = record[position] | record[position + 1] << 8;
            int flags = record[position + 2] | record[position + 3] << 8;
            uint length = ReadUInt32(record, position + 4);
            position += 8;
            if (length > end - position)
            {
                return $"section \"{name}\" declares {length} bytes, more than the record holds";
            }
            if (!seen.Add(name))
            {
                return $"the section \"{name}\" appears twice";
            }
            if (name == StandardizerName)
            {
                if (version != 1)
                {
                    return $"it holds version {version} of the section \"{name}\"; this generator reads version 1";
                }
                string? error = ReadStandardizer(record, position, (int)length, out standardizerBits);
                if (error is not null)
                {
                    return error;
                }
            }
            else if ((flags & 1) != 0)
            {
                return $"it holds the section \"{name}\", which it marks as required and this generator does not know (a newer NetGen wrote it)";
            }
            position += (int)length;
        }
        return position == end ? null : $"{end - position} bytes follow its last section";
    }

    private static string? ReadStandardizer(byte[] record, int start, int length, out EquatableArray<int> bits)
    {
        bits = EquatableArray<int>.Empty;
        uint features = length >= 4 ? ReadUInt32(record, start) : 0;
        if (features == 0 || length != 4 + 8L * features)
        {
            return $"its standardizer section is {length} bytes, which is not 4 + 8 per feature for {features} features";
        }
        var values = new int[2 * features];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = unchecked((int)ReadUInt32(record, start + 4 + 4 * i));
            bool finite = (values[i] & 0x7F800000) != 0x7F800000;
            bool positive = values[i] > 0; // a positive float's bits are a positive int, and 0 and -0 are not
            if (!finite || (i >= features && !positive))
            {
                return $"its standardizer has a {(i < features ? "mean" : "standard deviation")} for feature {i % features} that is not {(i < features ? "finite" : "finite and greater than 0")}";
            }
        }
        bits = new EquatableArray<int>(values);
        return null;
    }

    private static uint ReadUInt32(byte[] bytes, int offset)
        => (uint)(bytes[offset] | bytes[offset + 1] << 8 | bytes[offset + 2] << 16 | bytes[offset + 3] << 24);
}
