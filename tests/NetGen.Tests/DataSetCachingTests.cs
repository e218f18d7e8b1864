namespace NetGen.Tests;

/// <summary>DataSet: what it computes from its targets is computed once.</summary>
public sealed class DataSetCachingTests
{
    [Fact]
    public void HasBinaryTargets_scans_the_targets_once_and_keeps_the_answer()
    {
        float[] targets = [0f, 1f, 1f, 0f];
        var data = new DataSet(new float[4], targets, 1, 1);
        Assert.True(data.HasBinaryTargets);
        // A scan on every call would now see 0.5; the documented contract is that the wrapped arrays do not change, and
        // this change shows that the property reads what it computed the first time instead of scanning again.
        targets[2] = 0.5f;
        Assert.True(data.HasBinaryTargets);
        Assert.False(new DataSet(new float[4], targets, 1, 1).HasBinaryTargets);
    }
}
