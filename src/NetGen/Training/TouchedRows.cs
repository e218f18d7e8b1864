namespace NetGen;

/// <summary>
/// The distinct rows of an embedding table that a batch touches, in the order they were first met. Adding and
/// clearing cost time proportional to the rows listed, never to the vocabulary; the list grows while it must and is
/// kept, so that steady-state batches allocate nothing.
/// </summary>
internal sealed class TouchedRows
{
    private readonly bool[] _listed;
    private int[] _rows = new int[64];

    /// <summary>An empty list for a table of <paramref name="vocabulary"/> rows.</summary>
    public TouchedRows(int vocabulary) => _listed = new bool[vocabulary];

    /// <summary>How many rows are listed.</summary>
    public int Count { get; private set; }

    /// <summary>The rows listed, in the order they were added.</summary>
    public ReadOnlySpan<int> Rows => _rows.AsSpan(0, Count);

    /// <summary>Lists <paramref name="row"/> unless it is listed already.</summary>
    public void Add(int row)
    {
        if (_listed[row])
        {
            return;
        }
        _listed[row] = true;
        if (Count == _rows.Length)
        {
            Array.Resize(ref _rows, 2 * _rows.Length);
        }
        _rows[Count++] = row;
    }

    /// <summary>Lists every row that <paramref name="other"/> lists and this does not, in <paramref name="other"/>'s order.</summary>
    public void AddAll(TouchedRows other)
    {
        foreach (int row in other.Rows)
        {
            Add(row);
        }
    }

    /// <summary>Empties the list.</summary>
    public void Clear()
    {
        foreach (int row in Rows)
        {
            _listed[row] = false;
        }
        Count = 0;
    }
}
