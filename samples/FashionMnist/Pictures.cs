using StbImageWriteSharp;

namespace FashionMnist;

/// <summary>PNG pictures of what the network learned and sees: its filters, one image's feature maps, an edge detector.</summary>
internal static class Pictures
{
    private const int Gap = 4;

    /// <summary>Feature maps are drawn in rows of this many, so that a layer of many filters stays readable.</summary>
    private const int MapsPerRow = 8;

    private static int RowsOf(int maps) => (maps + MapsPerRow - 1) / MapsPerRow;

    /// <summary>The first convolution's kernels, each cell a weight: red positive, blue negative, white zero.</summary>
    public static string WriteFilters(string folder, FashionNet net)
    {
        NetGen.ParameterBlock weights = FashionNet.Layers[0].Weights;
        int filters = weights.Shape[0], size = weights.Shape[2];
        const int Cell = 32;
        var canvas = new Canvas(filters * (size * Cell + Gap) + Gap, size * Cell + 2 * Gap);
        ReadOnlySpan<float> w = net.Parameters.AsSpan(weights.Offset, weights.Count);
        float scale = MaxAbs(w);
        for (int f = 0; f < filters; f++)
        {
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    canvas.Fill(Gap + f * (size * Cell + Gap) + x * Cell, Gap + y * Cell, Cell, Cell, Diverging(w[(f * size + y) * size + x] / scale));
                }
            }
        }
        return canvas.Save(Path.Combine(folder, "filters.png"));
    }

    /// <summary>
    /// One image and what each convolution makes of it: the input, then each convolution's maps in rows of eight, each
    /// map scaled to its own largest value (black 0, white the largest).
    /// </summary>
    public static string WriteFeatureMaps(string folder, FashionNet net, ReadOnlySpan<float> image)
    {
        var outputs = new float[FashionNet.LayerOutputsSize];
        net.PredictLayerOutputs(image, outputs);
        var rows = new List<(float[] Values, int Maps, int Height, int Width, int Zoom)> { (image.ToArray(), 1, 28, 28, 4) };
        int start = 0;
        foreach (NetGen.LayerInfo layer in FashionNet.Layers)
        {
            if (layer.Kind == NetGen.LayerKind.Conv2D)
            {
                int maps = layer.OutputShape[0], height = layer.OutputShape[1], width = layer.OutputShape[2];
                rows.Add((outputs[start..(start + layer.OutputSize)], maps, height, width, 112 / height));
            }
            start += layer.OutputSize;
        }
        int canvasWidth = rows.Max(r => Math.Min(r.Maps, MapsPerRow) * (r.Width * r.Zoom + Gap)) + Gap;
        int canvasHeight = rows.Sum(r => RowsOf(r.Maps) * (r.Height * r.Zoom + Gap)) + Gap;
        var canvas = new Canvas(canvasWidth, canvasHeight);
        int top = Gap;
        foreach (var (values, maps, height, width, zoom) in rows)
        {
            for (int m = 0; m < maps; m++)
            {
                ReadOnlySpan<float> map = values.AsSpan(m * height * width, height * width);
                int column = m % MapsPerRow, row = m / MapsPerRow;
                canvas.DrawGrey(Gap + column * (width * zoom + Gap), top + row * (height * zoom + Gap), map, width, height, zoom, MaxAbs(map));
            }
            top += RowsOf(maps) * (height * zoom + Gap);
        }
        return canvas.Save(Path.Combine(folder, "feature-maps.png"));
    }

    /// <summary>An image, then the Sobel convolutions across and down (red brighter to the right or below, blue darker), then the edge strength.</summary>
    public static string WriteEdges(string folder, ReadOnlySpan<float> image)
    {
        var edges = new EdgeNet();
        NetGen.ParameterBlock kernels = EdgeNet.Layers[0].Weights;
        float[] sobel = [-1, 0, 1, -2, 0, 2, -1, 0, 1, /* down: */ -1, -2, -1, 0, 0, 0, 1, 2, 1];
        sobel.CopyTo(edges.Parameters.AsSpan(kernels.Offset, kernels.Count));
        edges.Parameters.AsSpan(EdgeNet.Layers[0].Biases.Offset, 2).Clear();
        var outputs = new float[EdgeNet.LayerOutputsSize];
        edges.PredictLayerOutputs(image, outputs);
        ReadOnlySpan<float> across = outputs.AsSpan(0, 784), down = outputs.AsSpan(784, 784);
        var strength = new float[784];
        for (int i = 0; i < strength.Length; i++)
        {
            strength[i] = MathF.Sqrt(across[i] * across[i] + down[i] * down[i]);
        }
        const int Zoom = 5;
        var canvas = new Canvas(4 * (28 * Zoom + Gap) + Gap, 28 * Zoom + 2 * Gap);
        canvas.DrawGrey(Gap, Gap, image, 28, 28, Zoom, 1f);
        canvas.DrawDiverging(Gap + (28 * Zoom + Gap), Gap, across, 28, 28, Zoom, MaxAbs(across));
        canvas.DrawDiverging(Gap + 2 * (28 * Zoom + Gap), Gap, down, 28, 28, Zoom, MaxAbs(down));
        canvas.DrawGrey(Gap + 3 * (28 * Zoom + Gap), Gap, strength, 28, 28, Zoom, MaxAbs(strength));
        return canvas.Save(Path.Combine(folder, "edges.png"));
    }

    private static float MaxAbs(ReadOnlySpan<float> values)
    {
        float max = 1e-12f;
        foreach (float v in values)
        {
            max = Math.Max(max, Math.Abs(v));
        }
        return max;
    }

    /// <summary>Blue for -1, white for 0, red for +1.</summary>
    private static (byte R, byte G, byte B) Diverging(float t)
    {
        t = Math.Clamp(t, -1f, 1f);
        byte fade = (byte)(255 * (1 - Math.Abs(t)));
        return t >= 0 ? ((byte)255, fade, fade) : (fade, fade, (byte)255);
    }

    private sealed class Canvas
    {
        private readonly byte[] _rgb;

        public Canvas(int width, int height)
        {
            Width = width;
            Height = height;
            _rgb = new byte[width * height * 3];
            Array.Fill(_rgb, (byte)235);
        }

        public int Width { get; }

        public int Height { get; }

        public void Fill(int left, int top, int width, int height, (byte R, byte G, byte B) color)
        {
            for (int y = top; y < top + height; y++)
            {
                for (int x = left; x < left + width; x++)
                {
                    int at = (y * Width + x) * 3;
                    (_rgb[at], _rgb[at + 1], _rgb[at + 2]) = color;
                }
            }
        }

        public void DrawGrey(int left, int top, ReadOnlySpan<float> values, int width, int height, int zoom, float scale)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    byte level = (byte)(255 * Math.Clamp(values[y * width + x] / scale, 0f, 1f));
                    Fill(left + x * zoom, top + y * zoom, zoom, zoom, (level, level, level));
                }
            }
        }

        public void DrawDiverging(int left, int top, ReadOnlySpan<float> values, int width, int height, int zoom, float scale)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    Fill(left + x * zoom, top + y * zoom, zoom, zoom, Diverging(values[y * width + x] / scale));
                }
            }
        }

        public string Save(string path)
        {
            using var stream = File.Create(path);
            new ImageWriter().WritePng(_rgb, Width, Height, ColorComponents.RedGreenBlue, stream);
            return path;
        }
    }
}
