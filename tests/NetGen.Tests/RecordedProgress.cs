namespace NetGen.Tests;

/// <summary>Keeps every report training makes, in order, as they are made (on the training thread).</summary>
internal sealed class RecordedProgress : List<EpochReport>, IProgress<EpochReport>
{
    private readonly Action<EpochReport>? _onReport;

    public RecordedProgress(Action<EpochReport>? onReport = null) => _onReport = onReport;

    public void Report(EpochReport value)
    {
        Add(value);
        _onReport?.Invoke(value);
    }
}
