namespace NetGen.Tests;

/// <summary>Data sets of token ids: stored as the whole-number floats the networks read, checked, and read back as ints.</summary>
public sealed class TextDataSetTests
{
    [Fact]
    public void FromTokenIdsStoresEachIdAsAWholeNumberFloat()
    {
        DataSet data = DataSet.FromTokenIds([3, 1, 0, 16_777_216, 7, 2], [1f, 0f], length: 3, targetSize: 1);

        Assert.Equal(2, data.Count);
        Assert.Equal(3, data.FeatureSize);
        Assert.Equal([3f, 1f, 0f], data.GetFeatures(0).ToArray());
        Assert.Equal([16_777_216f, 7f, 2f], data.GetFeatures(1).ToArray());
        var ids = new int[3];
        data.GetTokenIds(1, ids);
        Assert.Equal([16_777_216, 7, 2], ids);
    }

    [Theory]
    [InlineData(-1, "row 1, position 0 is -1")]
    [InlineData(16_777_217, "row 1, position 0 is 16777217")]
    public void FromTokenIdsNamesTheRowPositionAndIdOfABadId(int bad, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => DataSet.FromTokenIds([1, 2, bad, 4], [0f, 1f], length: 2, targetSize: 1));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void GetTokenIdsRefusesFeaturesThatAreNotIds()
    {
        var data = new DataSet([1f, 2.5f], [0f], 2, 1);
        var error = Assert.Throws<ArgumentException>(() => data.GetTokenIds(0, new int[2]));
        Assert.Contains("2.5 at position 1", error.Message);
        Assert.Throws<ArgumentException>(() => data.GetTokenIds(0, new int[3]));
    }

    [Fact]
    public void ANetworkTrainsOnTokenIdsAsOnTheSameFloats()
    {
        int[] ids = [1, 2, 0, 0, 0, 0, 0, 3, 4, 4, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 6, 7, 8, 9, 10, 0, 0];
        float[] targets = [1f, 0f, 1f, 0f];
        DataSet fromIds = DataSet.FromTokenIds(ids, targets, EmbeddingMeanBinaryNet.InputSize, 1);
        var fromFloats = new DataSet([.. ids.Select(id => (float)id)], targets, EmbeddingMeanBinaryNet.InputSize, 1);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 2, LearningRate = 0.1, Seed = 4 };
        var first = new EmbeddingMeanBinaryNet();
        var second = new EmbeddingMeanBinaryNet();
        EmbeddingMeanBinaryNet.InitializeParameters(first.Parameters, 2);
        EmbeddingMeanBinaryNet.InitializeParameters(second.Parameters, 2);
        float[] initial = [.. first.Parameters];

        Trainer.Train(first, fromIds, options);
        Trainer.Train(second, fromFloats, options);

        Assert.NotEqual(initial, first.Parameters);
        Assert.Equal(second.Parameters, first.Parameters);
    }
}
