namespace NetGen;

/// <summary>Formatting of shapes as NetGen's documentation and messages write them: [8, 28, 28].</summary>
internal static class Shapes
{
    public static string Format(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";

    public static int Size(IReadOnlyList<int> shape)
    {
        int size = 1;
        foreach (int dimension in shape)
        {
            size *= dimension;
        }
        return size;
    }
}
