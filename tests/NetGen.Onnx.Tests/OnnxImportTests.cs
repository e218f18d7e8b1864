using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using NetGen.Cli;
using NetGen.Cli.Import;
using NetGen.Tests.Imported;

namespace NetGen.Tests;

/// <summary>
/// `netgen import` on what torch.onnx.export writes (tests/make_onnx_fixtures.py): the committed declarations in
/// Imported/ are what the importer writes today, they compile with their weights compiled in, and they predict what
/// PyTorch predicted, to 1e-5 relative to the largest output.
/// </summary>
public sealed class OnnxImportTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Onnx");
    private static readonly string Imported = Path.Combine(AppContext.BaseDirectory, "Imported");

    public static TheoryData<string> Models => new(Directory.GetFiles(Fixtures, "*.onnx")
        .Select(Path.GetFileNameWithoutExtension).OfType<string>().Where(name => !name.StartsWith("unsupported", StringComparison.Ordinal)).Order());

    [Theory]
    [MemberData(nameof(Models))]
    public void The_committed_declaration_and_weights_are_what_the_importer_writes(string model)
    {
        string className = ImportOptions.PascalCase(model);
        ImportedNetwork network = OnnxImporter.Import(Path.Combine(Fixtures, model + ".onnx"));
        Assert.Equal(File.ReadAllText(Path.Combine(Imported, className + ".cs")), DeclarationWriter.Write(network, className, "NetGen.Tests.Imported", className + ".weights"));
        Assert.Equal(File.ReadAllText(Path.Combine(Imported, className + ".weights")), WeightsFileWriter.Write(network));
    }

    [Fact]
    public void The_PyTorch_sample_declaration_and_weights_are_what_the_importer_writes()
    {
        string sample = Path.Combine(AppContext.BaseDirectory, "Samples", "PyTorchDigits");
        ImportedNetwork network = OnnxImporter.Import(Path.Combine(sample, "digits.onnx"));
        Assert.Equal(File.ReadAllText(Path.Combine(sample, "Models", "DigitsCnn.cs")), DeclarationWriter.Write(network, "DigitsCnn", "PyTorchDigits", "DigitsCnn.weights"));
        Assert.Equal(File.ReadAllText(Path.Combine(sample, "Models", "DigitsCnn.weights")), WeightsFileWriter.Write(network));
    }

    private static readonly Dictionary<string, Action<string>> PredictionChecks = new()
    {
        ["dense_relu_softmax"] = CheckAgainstPyTorch<DenseReluSoftmax>,
        ["dense_tanh_sigmoid"] = CheckAgainstPyTorch<DenseTanhSigmoid>,
        ["matmul_add_relu"] = CheckAgainstPyTorch<MatmulAddRelu>,
        ["conv_relu_maxpool"] = CheckAgainstPyTorch<ConvReluMaxpool>,
        ["conv_padded_tanh_avgpool"] = CheckAgainstPyTorch<ConvPaddedTanhAvgpool>,
        ["conv_stride2_sigmoid_global_pool"] = CheckAgainstPyTorch<ConvStride2SigmoidGlobalPool>,
        ["conv_reshape"] = CheckAgainstPyTorch<ConvReshape>,
        ["rnn_tanh_last_step"] = CheckAgainstPyTorch<RnnTanhLastStep>,
        ["rnn_relu_sequence_flatten"] = CheckAgainstPyTorch<RnnReluSequenceFlatten>,
        ["lstm_last_step"] = CheckAgainstPyTorch<LstmLastStep>,
        ["gru_last_step"] = CheckAgainstPyTorch<GruLastStep>,
        ["lstm_sequence_gru_last_step"] = CheckAgainstPyTorch<LstmSequenceGruLastStep>,
        ["lstm_two_layers"] = CheckAgainstPyTorch<LstmTwoLayers>,
        ["embedding_padding_mean"] = CheckAgainstPyTorch<EmbeddingPaddingMean>,
        ["embedding_mean"] = CheckAgainstPyTorch<EmbeddingMean>,
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void The_imported_network_predicts_what_PyTorch_predicted(string model)
    {
        Assert.True(PredictionChecks.TryGetValue(model, out Action<string>? check), $"{model}.onnx has no imported class in PredictionChecks.");
        check(model);
    }

    [Fact]
    public void A_residual_connection_and_a_dilated_convolution_are_both_named_and_nothing_is_written()
    {
        string folder = Directory.CreateTempSubdirectory("netgen-import-").FullName;
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            int exit = CommandLine.Run(["import", Path.Combine(Fixtures, "unsupported_residual_dilation.onnx"), "--class", "Broken", "--out", folder], output, error);
            Assert.Equal(CommandLine.Failure, exit);
            string message = error.ToString();
            Assert.Contains("unsupported_residual_dilation.onnx cannot be imported", message);
            Assert.Contains("2 problems", message);
            Assert.Contains("node '/0/Add' (Add): reads 'input', which is not the output of the node before it", message);
            Assert.Contains("node '/1/Conv' (Conv): is a dilated convolution (dilations [2, 2])", message);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_Keras_model_converted_to_ONNX_imports_and_predicts_what_ONNX_Runtime_predicts()
    {
        string model = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Keras", "hello_world_sine.onnx");
        ImportedNetwork network = OnnxImporter.Import(model);
        Assert.Equal(File.ReadAllText(Path.Combine(Imported, "HelloWorldSine.cs")), DeclarationWriter.Write(network, "HelloWorldSine", "NetGen.Tests.Imported", "HelloWorldSine.weights"));
        Assert.Equal(File.ReadAllText(Path.Combine(Imported, "HelloWorldSine.weights")), WeightsFileWriter.Write(network));

        float[] inputs = Enumerable.Range(0, 16).Select(i => i * (float)(2 * Math.PI) / 15).ToArray();
        float[] expected = new float[inputs.Length];
        using (var session = new InferenceSession(model))
        {
            string inputName = Assert.Single(session.InputNames), outputName = Assert.Single(session.OutputNames);
            using var input = OrtValue.CreateTensorValueFromMemory(inputs, [inputs.Length, 1]);
            using var output = OrtValue.CreateTensorValueFromMemory(expected, [inputs.Length, 1]);
            using var options = new RunOptions();
            session.Run(options, [inputName], [input], [outputName], [output]);
        }
        var net = new HelloWorldSine();
        float[] actual = new float[1];
        for (int sample = 0; sample < inputs.Length; sample++)
        {
            net.Predict([inputs[sample]], actual);
            OnnxExportTests.AssertClose([expected[sample]], actual, $"hello_world_sine, x = {inputs[sample]}");
        }
    }

    [Fact]
    public void A_bidirectional_GRU_is_named_and_nothing_is_written()
    {
        var error = Assert.Throws<UnsupportedModelException>(() => OnnxImporter.Import(Path.Combine(Fixtures, "unsupported_bidirectional_gru.onnx")));
        Assert.Contains("node '/recurrent/GRU' (GRU): runs bidirectional (direction = bidirectional); NetGen's recurrent layers run forward only", error.Message);
    }

    [Fact]
    public void A_time_first_LSTM_is_named()
    {
        global::Onnx.ModelProto model = NetGen.Onnx.Reading.OnnxModelReader.Read(Path.Combine(Fixtures, "lstm_last_step.onnx"));
        global::Onnx.NodeProto lstm = model.Graph.Node.Single(node => node.OpType == "LSTM");
        lstm.Input[0] = model.Graph.Node.First(node => node.OpType == "Transpose").Input[0];
        var error = Assert.Throws<UnsupportedModelException>(() => OnnxImporter.Import(model, "lstm.onnx"));
        Assert.Contains($"node '{lstm.Name}' (LSTM): reads [batch, 6, 3] as ONNX's [steps, batch, features]: the layer is time first (batch_first=False)", error.Message);
    }

    [Fact]
    public void A_step_other_than_the_last_is_named()
    {
        global::Onnx.ModelProto model = NetGen.Onnx.Reading.OnnxModelReader.Read(Path.Combine(Fixtures, "lstm_last_step.onnx"));
        global::Onnx.NodeProto gather = model.Graph.Node.Single(node => node.OpType == "Gather" && node.Attribute.Any(a => a.Name == "axis" && a.I == 1));
        global::Onnx.TensorProto index = model.Graph.Initializer.FirstOrDefault(tensor => tensor.Name == gather.Input[1])
                                 ?? model.Graph.Node.Single(node => node.Output.Contains(gather.Input[1])).Attribute.Single().T;
        Assert.Equal(-1L, NetGen.Onnx.Reading.OnnxTensors.Int64s(index).Single());
        index.RawData = Google.Protobuf.ByteString.Empty;
        index.Int64Data.Clear();
        index.Int64Data.Add(2);
        var error = Assert.Throws<UnsupportedModelException>(() => OnnxImporter.Import(model, "lstm.onnx"));
        Assert.Contains($"node '{gather.Name}' (Gather): takes something other than the last step of a recurrent layer's sequence", error.Message);
    }

    [Fact]
    public void The_recurrent_and_embedding_declarations_say_what_PyTorch_built()
    {
        Assert.Contains("[Lstm(4, ReturnSequences = true)]\n[Lstm(4)]\n", File.ReadAllText(Path.Combine(Imported, "LstmTwoLayers.cs")));
        Assert.Contains("[Lstm(6, ReturnSequences = true)]\n[Gru(4)]\n", File.ReadAllText(Path.Combine(Imported, "LstmSequenceGruLastStep.cs")));
        Assert.Contains("[SimpleRnn(5, Activation.ReLU, ReturnSequences = true)]\n[Flatten]\n", File.ReadAllText(Path.Combine(Imported, "RnnReluSequenceFlatten.cs")));
        Assert.Contains("[Embedding(11, 5, PaddingIndex = 0)]\n[GlobalAveragePool]\n", File.ReadAllText(Path.Combine(Imported, "EmbeddingPaddingMean.cs")));
        Assert.Contains("[Embedding(9, 4)]\n[GlobalAveragePool]\n", File.ReadAllText(Path.Combine(Imported, "EmbeddingMean.cs")));
    }

    [Fact]
    public void The_command_writes_the_declaration_and_the_weights_under_the_given_names()
    {
        string folder = Path.Combine(Directory.CreateTempSubdirectory("netgen-import-").FullName, "Models");
        try
        {
            var output = new StringWriter();
            int exit = CommandLine.Run(["import", Path.Combine(Fixtures, "dense_relu_softmax.onnx"), "--class", "SpamFilter", "--namespace", "MyApp", "--out", folder], output, new StringWriter());
            Assert.Equal(CommandLine.Success, exit);
            string declaration = File.ReadAllText(Path.Combine(folder, "SpamFilter.cs"));
            string expected = File.ReadAllText(Path.Combine(Imported, "DenseReluSoftmax.cs"))
                .Replace("DenseReluSoftmax", "SpamFilter").Replace("namespace NetGen.Tests.Imported;", "namespace MyApp;");
            Assert.Equal(expected, declaration);
            Assert.Equal(File.ReadAllText(Path.Combine(Imported, "DenseReluSoftmax.weights")), File.ReadAllText(Path.Combine(folder, "SpamFilter.weights")));
            Assert.Contains("<AdditionalFiles Include=", output.ToString());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Theory]
    [InlineData(new string[0], "Usage: netgen import")]
    [InlineData(new[] { "export", "a.onnx" }, "unknown command 'export'")]
    [InlineData(new[] { "import" }, "the ONNX model to import is missing")]
    [InlineData(new[] { "import", "a.onnx", "--class" }, "--class needs a value")]
    [InlineData(new[] { "import", "a.onnx", "--class", "class" }, "--class 'class' is not a C# class name")]
    [InlineData(new[] { "import", "a.onnx", "--namespace", "My..App" }, "--namespace 'My..App' is not a C# namespace")]
    [InlineData(new[] { "import", "a.onnx", "--colour", "red" }, "unknown option '--colour'")]
    public void A_wrong_command_line_is_a_usage_error_that_says_what_is_wrong(string[] args, string expected)
    {
        var error = new StringWriter();
        Assert.Equal(CommandLine.UsageError, CommandLine.Run(args, new StringWriter(), error));
        Assert.Contains(expected, error.ToString());
    }

    [Fact]
    public void Help_prints_the_usage_and_succeeds()
    {
        var output = new StringWriter();
        Assert.Equal(CommandLine.Success, CommandLine.Run(["import", "--help"], output, new StringWriter()));
        Assert.Contains("Usage: netgen import <model.onnx>", output.ToString());
    }

    [Fact]
    public void A_missing_model_or_a_file_that_is_not_onnx_fails_naming_the_file()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"netgen-{Guid.NewGuid():N}.onnx");
        var error = new StringWriter();
        Assert.Equal(CommandLine.Failure, CommandLine.Run(["import", missing], new StringWriter(), error));
        Assert.Contains($"There is no ONNX model at '{missing}'", error.ToString());

        string notOnnx = Path.Combine(Imported, "DenseReluSoftmax.weights");
        error = new StringWriter();
        Assert.Equal(CommandLine.Failure, CommandLine.Run(["import", notOnnx, "--out", Path.GetTempPath()], new StringWriter(), error));
        Assert.Contains($"'{notOnnx}' is not an ONNX model", error.ToString());
    }

    private static void CheckAgainstPyTorch<TNetwork>(string model) where TNetwork : class, INetwork<TNetwork>, new()
    {
        using JsonDocument fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, model + ".json")));
        int[] inputShape = fixture.RootElement.GetProperty("input_shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        Assert.Equal(inputShape, TNetwork.Layers[0].InputShape);
        var net = new TNetwork();
        float[] output = new float[TNetwork.OutputSize];
        JsonElement[] inputs = fixture.RootElement.GetProperty("inputs").EnumerateArray().ToArray();
        JsonElement[] outputs = fixture.RootElement.GetProperty("outputs").EnumerateArray().ToArray();
        Assert.NotEmpty(inputs);
        for (int sample = 0; sample < inputs.Length; sample++)
        {
            float[] input = inputs[sample].EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            float[] expected = outputs[sample].EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            net.Predict(input, output);
            OnnxExportTests.AssertClose(expected, output, $"{model}, sample {sample}");
        }
    }
}
