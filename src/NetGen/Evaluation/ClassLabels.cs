namespace NetGen;

/// <summary>
/// The class a row of outputs or targets stands for, the way <see cref="DataSet.IsCorrect"/> reads it: for one value,
/// class 1 at 0.5 or more and class 0 below; for several, the index of the largest (the first of equal ones).
/// </summary>
public static class ClassLabels
{
    /// <summary>The class <paramref name="row"/> stands for: the 0.5 threshold for one value, else the argmax.</summary>
    /// <exception cref="ArgumentException">The row is empty.</exception>
    public static int Of(ReadOnlySpan<float> row)
    {
        if (row.IsEmpty)
        {
            throw new ArgumentException("A row of outputs or targets needs at least one value.", nameof(row));
        }
        if (row.Length == 1)
        {
            return row[0] >= 0.5f ? 1 : 0;
        }
        int best = 0;
        for (int i = 1; i < row.Length; i++)
        {
            if (row[i] > row[best])
            {
                best = i;
            }
        }
        return best;
    }

    /// <summary>How many classes rows of <paramref name="rowSize"/> values tell apart: 2 for a single output, else one per value.</summary>
    public static int Count(int rowSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowSize);
        return rowSize == 1 ? 2 : rowSize;
    }
}
