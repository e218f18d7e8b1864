using Microsoft.ML.OnnxRuntime;
using NetGen.Onnx;

namespace NetGen.Tests;

/// <summary>
/// Every exported network, run by ONNX Runtime on random inputs, gives what the generated Predict gives (1e-5
/// relative to the largest output), for every layer kind and activation.
/// </summary>
public sealed class OnnxExportTests
{
    private const double Relative = 1e-5;
    private const int Batch = 5;

    [Fact] public void Dense_identity() => CheckAgainstPredict<ExportIdentityNet>(1);
    [Fact] public void Dense_step() => CheckAgainstPredict<ExportPerceptron>(2);
    [Fact] public void Dense_tanh_relu_sigmoid() => CheckAgainstPredict<ExportDenseStackNet>(3);
    [Fact] public void Dense_sigmoid_softmax() => CheckAgainstPredict<ExportDenseSoftmaxNet>(4);
    [Fact] public void Conv2D_valid_flatten() => CheckAgainstPredict<ConvValidNet>(5);
    [Fact] public void Conv2D_same_padding_max_pool() => CheckAgainstPredict<ConvSameMaxPoolNet>(6);
    [Fact] public void Conv2D_stride_two_average_pool() => CheckAgainstPredict<ConvStrideTwoAveragePoolNet>(7);
    [Fact] public void Conv2D_same_padding_stride_two_global_average_pool() => CheckAgainstPredict<ConvStackGlobalPoolNet>(8);
    [Fact] public void Conv2D_overlapping_max_pool_then_average_pool() => CheckAgainstPredict<ConvFashionShapedNet>(9);
    [Fact] public void Sequence_global_average_pool() => CheckAgainstPredict<SequenceGlobalPoolNet>(10);
    [Fact] public void Network_with_dropout_exports_its_inference_form() => CheckAgainstPredict<ConvDropoutNet>(11);
    [Fact] public void SimpleRnn_tanh_last_step() => CheckAgainstPredict<RnnTanhNet>(12);
    [Fact] public void SimpleRnn_relu_sequence() => CheckAgainstPredict<RnnReluSequenceNet>(13);
    [Fact] public void Lstm_last_step() => CheckAgainstPredict<LstmNet>(14);
    [Fact] public void Lstm_sequence() => CheckAgainstPredict<LstmSequenceNet>(15);
    [Fact] public void Gru_last_step() => CheckAgainstPredict<GruNet>(16);
    [Fact] public void Gru_sequence() => CheckAgainstPredict<GruSequenceNet>(17);
    [Fact] public void Gru_one_step() => CheckAgainstPredict<OneStepGruNet>(18);
    [Fact] public void Lstm_sequence_into_gru_stacked() => CheckAgainstPredict<StackedRecurrentNet>(19);
    [Fact] public void SimpleRnn_sequence_into_gru_and_dropout() => CheckAgainstPredict<RecurrentDropoutNet>(20);
    [Fact] public void Lstm_thirty_steps_of_28_features() => CheckAgainstPredict<LongLstmNet>(21);
    [Fact] public void Embedding_padding_masked_mean() => CheckAgainstPredict<EmbeddingMeanBinaryNet>(22);
    [Fact] public void Embedding_padding_masked_mean_padding_id_two_softmax() => CheckAgainstPredict<EmbeddingMeanSoftmaxNet>(23);
    [Fact] public void Embedding_plain_mean() => CheckAgainstPredict<EmbeddingPlainMeanNet>(24);
    [Fact] public void Embedding_flatten() => CheckAgainstPredict<EmbeddingFlattenNet>(25);

    [Fact]
    public void The_model_declares_named_input_and_output_with_their_shapes_and_opset()
    {
        var net = new ConvSameMaxPoolNet();
        ConvSameMaxPoolNet.InitializeParameters(net.Parameters, 1);
        using var session = new InferenceSession(OnnxExport.ToBytes(net));
        NodeMetadata input = Assert.Single(session.InputMetadata).Value;
        NodeMetadata output = Assert.Single(session.OutputMetadata).Value;
        Assert.Equal(OnnxExport.InputName, Assert.Single(session.InputNames));
        Assert.Equal(OnnxExport.OutputName, Assert.Single(session.OutputNames));
        Assert.Equal([-1, 2, 7, 7], input.Dimensions);
        Assert.Equal([OnnxExport.BatchDimension, "", "", ""], input.SymbolicDimensions);
        Assert.Equal([-1, 4], output.Dimensions);
        var model = global::Onnx.ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(net));
        var opset = Assert.Single(model.OpsetImport);
        Assert.Equal(("", 17L), (opset.Domain, opset.Version));
        Assert.True(OnnxExport.OpsetVersion >= 13);
    }

    [Fact]
    public void Save_to_a_path_writes_the_same_bytes_as_the_stream_overload_and_replaces_an_old_file()
    {
        var net = new ExportDenseStackNet();
        ExportDenseStackNet.InitializeParameters(net.Parameters, 3);
        string folder = Directory.CreateTempSubdirectory("netgen-onnx-").FullName;
        try
        {
            string path = Path.Combine(folder, "net.onnx");
            File.WriteAllText(path, "an older, longer file that must be replaced whole ...........................");
            OnnxExport.Save(net, path);
            using var stream = new MemoryStream();
            OnnxExport.Save(net, stream);
            Assert.Equal(stream.ToArray(), File.ReadAllBytes(path));
            Assert.Equal([path], Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Save_into_a_missing_folder_names_the_target_and_leaves_nothing()
    {
        var net = new ExportIdentityNet();
        string path = Path.Combine(Path.GetTempPath(), $"netgen-missing-{Guid.NewGuid():N}", "net.onnx");
        var error = Assert.Throws<DirectoryNotFoundException>(() => OnnxExport.Save(net, path));
        Assert.Contains(path, error.Message);
    }

    private static void CheckAgainstPredict<TNetwork>(int seed) where TNetwork : class, INetwork<TNetwork>, new()
    {
        var net = new TNetwork();
        TNetwork.InitializeParameters(net.Parameters, seed);
        var random = new Random(seed);
        float[] inputs = TNetwork.Layers[0].Kind == LayerKind.Embedding
            ? TokenIds(TNetwork.Layers[0], random)
            : Enumerable.Range(0, Batch * TNetwork.InputSize).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        // Perceptrons and ReLUs are checked where they switch too: a few exact zeros in the input.
        inputs[0] = 0f;

        float[] actual = new float[Batch * TNetwork.OutputSize];
        using (var session = new InferenceSession(OnnxExport.ToBytes(net)))
        {
            long[] inputShape = [Batch, .. TNetwork.Layers[0].InputShape.Select(d => (long)d)];
            long[] outputShape = [Batch, .. TNetwork.Layers[^1].OutputShape.Select(d => (long)d)];
            using var input = OrtValue.CreateTensorValueFromMemory(inputs, inputShape);
            using var output = OrtValue.CreateTensorValueFromMemory(actual, outputShape);
            using var options = new RunOptions();
            session.Run(options, [OnnxExport.InputName], [input], [OnnxExport.OutputName], [output]);
        }

        float[] expected = new float[TNetwork.OutputSize];
        for (int sample = 0; sample < Batch; sample++)
        {
            TNetwork.Predict(net.Parameters, inputs.AsSpan(sample * TNetwork.InputSize, TNetwork.InputSize), expected);
            AssertClose(expected, actual.AsSpan(sample * TNetwork.OutputSize, TNetwork.OutputSize), $"{typeof(TNetwork).Name}, sample {sample}");
        }
    }

    /// <summary>
    /// Token ids for <see cref="Batch"/> texts, every id of the vocabulary likely, the padding id (if any) at a third of
    /// the positions, and the last text all padding (its masked mean is zero).
    /// </summary>
    private static float[] TokenIds(LayerInfo embedding, Random random)
    {
        int tokens = embedding.InputShape[0];
        int vocabulary = embedding.Parameters[0].Shape[0];
        int padding = embedding.Arguments[^1];
        var ids = new float[Batch * tokens];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = padding >= 0 && (random.Next(3) == 0 || i >= (Batch - 1) * tokens) ? padding : random.Next(vocabulary);
        }
        return ids;
    }

    internal static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0;
        foreach (float value in expected)
        {
            scale = Math.Max(scale, Math.Abs(value));
        }
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = Relative * Math.Max(Math.Abs(expected[i]), scale);
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance,
                $"{what}, output {i}: expected {expected[i]:R}, got {actual[i]:R} (difference {Math.Abs(actual[i] - expected[i]):E2}, allowed {tolerance:E2})");
        }
    }
}
