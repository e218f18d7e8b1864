using System.Globalization;

namespace WebDigits.Digits;

/// <summary>
/// The format of the UCI handwritten digits (data/digits): a 32x32 black-and-white bitmap counted in 4x4 blocks into
/// 8x8 values from 0 to 16, row by row.
/// </summary>
public static class UciDigits
{
    /// <summary>The side of the bitmap a digit is drawn into.</summary>
    public const int BitmapSide = 32;

    /// <summary>The side of the counted image.</summary>
    public const int Side = 8;

    /// <summary>How many values a digit has: 64.</summary>
    public const int PixelCount = Side * Side;

    /// <summary>The largest value: every pixel of a 4x4 block set.</summary>
    public const int MaxValue = 16;

    private const int Block = BitmapSide / Side;

    /// <summary>Counts the set pixels (non-zero bytes) of a 32x32 bitmap, given row by row, in each 4x4 block.</summary>
    /// <exception cref="ArgumentException">The bitmap does not have 32 x 32 = 1024 values.</exception>
    public static int[] Count(ReadOnlySpan<byte> bitmap)
    {
        if (bitmap.Length != BitmapSide * BitmapSide)
        {
            throw new ArgumentException($"A bitmap has {BitmapSide * BitmapSide} values (32 x 32), not {bitmap.Length}.", nameof(bitmap));
        }
        var counts = new int[PixelCount];
        for (int y = 0; y < BitmapSide; y++)
        {
            for (int x = 0; x < BitmapSide; x++)
            {
                if (bitmap[y * BitmapSide + x] != 0)
                {
                    counts[y / Block * Side + x / Block]++;
                }
            }
        }
        return counts;
    }

    /// <summary>Reads 64 comma-separated whole numbers from 0 to 16 (the page's <c>?pixels=</c>).</summary>
    /// <exception cref="FormatException">There are not 64 values, or one is not a whole number from 0 to 16; the message names it.</exception>
    public static int[] Parse(string text)
    {
        string[] parts = text.Split(',');
        if (parts.Length != PixelCount)
        {
            throw new FormatException($"pixels: expected {PixelCount} comma-separated values from 0 to {MaxValue}, got {parts.Length}.");
        }
        var pixels = new int[PixelCount];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < 0 || value > MaxValue)
            {
                throw new FormatException($"pixels: value {i + 1} is \"{parts[i]}\"; expected a whole number from 0 to {MaxValue}.");
            }
            pixels[i] = value;
        }
        return pixels;
    }

    /// <summary>The network's input for <paramref name="pixels"/>: each value divided by 16, as the network was trained.</summary>
    public static float[] ToFeatures(ReadOnlySpan<int> pixels)
    {
        var features = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            features[i] = pixels[i] / (float)MaxValue;
        }
        return features;
    }
}
