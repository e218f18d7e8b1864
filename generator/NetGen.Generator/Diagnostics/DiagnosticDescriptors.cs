using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace NetGen.Generator;

/// <summary>Every diagnostic NetGen reports. Each id is documented in docs/diagnostics.md, which the help links open.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "NetGen";
    /// <summary>Where every help link points: the section of docs/diagnostics.md whose anchor is the lower-case id.</summary>
    public const string HelpLinkBase = "https://github.com/netgen-dotnet/netgen/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor NotPartial = Error(
        "NG0001",
        "Network class must be partial",
        "The network class '{0}' must be declared partial so that NetGen can generate its other part");

    public static readonly DiagnosticDescriptor UnsupportedType = Error(
        "NG0002",
        "Network must be a non-generic, non-static class",
        "'{0}' cannot be a network: {1}");

    public static readonly DiagnosticDescriptor UnsupportedContainingType = Error(
        "NG0003",
        "Network nested in a type NetGen cannot extend",
        "'{0}' is nested in '{1}', which {2}");

    public static readonly DiagnosticDescriptor MissingInput = Error(
        "NG0004",
        "Network has no [Input]",
        "The network '{0}' has no [Input(size)] attribute: declare the size of its input before the layers");

    public static readonly DiagnosticDescriptor NoLayers = Error(
        "NG0005",
        "Network has no layers",
        "The network '{0}' has no layers: add at least one layer attribute such as [Dense(1, Activation.Sigmoid)] after [Input]");

    public static readonly DiagnosticDescriptor SizeNotPositive = Error(
        "NG0006",
        "Size must be at least 1",
        "{0} must be at least 1, but is {1}");

    public static readonly DiagnosticDescriptor UndefinedActivation = Error(
        "NG0007",
        "Activation is not defined",
        "{0} is not a defined Activation: use one of Identity, Step, Sigmoid, Tanh, ReLU or Softmax");

    public static readonly DiagnosticDescriptor UndefinedLoss = Error(
        "NG0008",
        "Loss is not defined",
        "{0} is not a defined Loss: use one of MeanSquaredError, BinaryCrossEntropy, CrossEntropy or Custom");

    public static readonly DiagnosticDescriptor SoftmaxNotOnOutput = Error(
        "NG0009",
        "Softmax only on the output layer",
        "Layer {0} uses Softmax, which NetGen supports only on the output layer: use ReLU, Tanh or Sigmoid for a hidden layer");

    public static readonly DiagnosticDescriptor LossDoesNotFitOutput = Error(
        "NG0010",
        "Loss does not fit the output layer",
        "{0} needs {1} outputs, but the output layer uses {2}: use Loss.{3}, or make the output layer {1}");

    public static readonly DiagnosticDescriptor MeanSquaredErrorOverSoftmax = Warning(
        "NG0011",
        "Mean squared error over softmax outputs learns slowly",
        "MeanSquaredError over a Softmax output gives small gradients when the network is confidently wrong: Loss.CrossEntropy fits a Softmax output");

    public static readonly DiagnosticDescriptor StepInMultiLayerNetwork = Error(
        "NG0012",
        "Step activation needs a single-layer perceptron",
        "Layer {0} uses Step, whose derivative is zero: gradient descent cannot train it through other layers. Use Step only in a single-layer perceptron trained by Perceptron.Train, or use Sigmoid");

    public static readonly DiagnosticDescriptor LayersSplitAcrossDeclarations = Error(
        "NG0013",
        "Network attributes split across partial declarations",
        "The attributes of network '{0}' must all be on the declaration that carries [Network], so that the order of its layers is defined");

    public static readonly DiagnosticDescriptor MemberAlreadyDeclared = Error(
        "NG0014",
        "Member name taken by the generated code",
        "'{0}' already declares a member named '{1}', which NetGen generates: rename it");

    public static readonly DiagnosticDescriptor UnrollThresholdNegative = Error(
        "NG0015",
        "UnrollThreshold must not be negative",
        "UnrollThreshold must be 0 (no unrolling) or more, but is {0}");

    public static readonly DiagnosticDescriptor ScratchTooLarge = Error(
        "NG0016",
        "Network's scratch memory is too large",
        "The network '{0}' needs {1} bytes of scratch memory per training sample, more than the {2} bytes NetGen allows: make its layers narrower");

    public static readonly DiagnosticDescriptor DropoutOutOfRange = Error(
        "NG0017",
        "Dropout rate must be in [0, 1)",
        "The dropout rate of layer {0} is {1}; it must be at least 0 and less than 1");

    public static readonly DiagnosticDescriptor DropoutOnOutputLayer = Error(
        "NG0018",
        "No dropout on the output layer",
        "Layer {0} is the output layer, whose outputs are the predictions: dropping them would train on a different loss than the one evaluated. Put dropout on a hidden layer");

    public static readonly DiagnosticDescriptor CustomLossMethodMissing = Error(
        "NG0019",
        "Loss.Custom needs one [LossFunction] method",
        "The network '{0}' declares Loss.Custom but has {1} methods marked [LossFunction]: mark exactly one, static float Name(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)");

    public static readonly DiagnosticDescriptor LossFunctionSignature = Error(
        "NG0020",
        "Loss function has the wrong signature",
        "The loss function '{0}' must be declared static float {0}(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient): {1}");

    public static readonly DiagnosticDescriptor LossFunctionUnused = Error(
        "NG0021",
        "[LossFunction] without Loss.Custom",
        "'{0}' is marked [LossFunction], but the network's loss is {1}: set [Network(Loss = Loss.Custom)] to train on it, or remove the attribute");

    public static readonly DiagnosticDescriptor WeightsFileNotFound = Error(
        "NG0022",
        "Weights file not found",
        "The weights file '{0}' is not among the compilation's additional files: {1}");

    public static readonly DiagnosticDescriptor WeightsFileInvalid = Error(
        "NG0023",
        "Weights file cannot be compiled in",
        "The weights file '{0}' cannot be compiled in: {1}. Write it with CompiledWeightsFile.Save");

    public static readonly DiagnosticDescriptor WeightsFileShapeMismatch = Error(
        "NG0024",
        "Weights file made for another network",
        "The weights file '{0}' holds {1} parameters for the shape with fingerprint 0x{2}, but '{3}' has {4} parameters and fingerprint 0x{5}: save the weights of this network again");

    public static readonly DiagnosticDescriptor TooManyParameters = Error(
        "NG0025",
        "Network has too many parameters",
        "The network '{0}' would have {1} parameters; NetGen supports at most {2} (1 GiB of floats): make its layers narrower");

    public static readonly DiagnosticDescriptor OptionalWeightsFileNotUsed = Warning(
        "NG0026",
        "Optional weights file not used",
        "'{0}' starts from its initialization, not from compiled-in weights, because its weights file is optional and cannot be used: {1}");

    public static readonly DiagnosticDescriptor LayerNeedsOtherShape = Error(
        "NG0027",
        "Layer cannot read its input's shape",
        "Layer {0} ({1}) reads {2}, but its input is {3}{4}");

    public static readonly DiagnosticDescriptor WindowLargerThanInput = Error(
        "NG0028",
        "Window larger than the input",
        "Layer {0}'s {1} of {2}x{2} is larger than its input of {3}x{4}{5}");

    public static readonly DiagnosticDescriptor OutputLayerNotDense = Error(
        "NG0029",
        "The output layer must be Dense",
        "Layer {0} ({1}) is the last layer, but NetGen's losses read the output of a [Dense] layer: end the network with [Flatten] if needed, then [Dense(outputs, activation)]");

    public static readonly DiagnosticDescriptor EmbeddingNotFirst = Error(
        "NG0030",
        "Embedding must be the first layer",
        "Layer {0} is an [Embedding], which reads token ids from the network's input: make it the first layer, right after [Input(n)]");

    public static readonly DiagnosticDescriptor PaddingIndexOutsideVocabulary = Error(
        "NG0031",
        "Padding index outside the vocabulary",
        "PaddingIndex {0} of layer {1} is not a token id of its vocabulary of {2}: use an id from 0 to {3}, or leave PaddingIndex out for no padding id");

    public static readonly DiagnosticDescriptor RecurrentActivationNotSupported = Error(
        "NG0032",
        "A SimpleRnn's activation must be Tanh or ReLU",
        "Layer {0} (SimpleRnn) uses {1}, but a recurrent layer's nonlinearity is Activation.Tanh or Activation.ReLU, as PyTorch's RNN allows");

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = new()
    {
        [NotPartial.Id] = NotPartial,
        [UnsupportedType.Id] = UnsupportedType,
        [UnsupportedContainingType.Id] = UnsupportedContainingType,
        [MissingInput.Id] = MissingInput,
        [NoLayers.Id] = NoLayers,
        [SizeNotPositive.Id] = SizeNotPositive,
        [UndefinedActivation.Id] = UndefinedActivation,
        [UndefinedLoss.Id] = UndefinedLoss,
        [SoftmaxNotOnOutput.Id] = SoftmaxNotOnOutput,
        [LossDoesNotFitOutput.Id] = LossDoesNotFitOutput,
        [MeanSquaredErrorOverSoftmax.Id] = MeanSquaredErrorOverSoftmax,
        [StepInMultiLayerNetwork.Id] = StepInMultiLayerNetwork,
        [LayersSplitAcrossDeclarations.Id] = LayersSplitAcrossDeclarations,
        [MemberAlreadyDeclared.Id] = MemberAlreadyDeclared,
        [UnrollThresholdNegative.Id] = UnrollThresholdNegative,
        [ScratchTooLarge.Id] = ScratchTooLarge,
        [DropoutOutOfRange.Id] = DropoutOutOfRange,
        [DropoutOnOutputLayer.Id] = DropoutOnOutputLayer,
        [CustomLossMethodMissing.Id] = CustomLossMethodMissing,
        [LossFunctionSignature.Id] = LossFunctionSignature,
        [LossFunctionUnused.Id] = LossFunctionUnused,
        [WeightsFileNotFound.Id] = WeightsFileNotFound,
        [WeightsFileInvalid.Id] = WeightsFileInvalid,
        [WeightsFileShapeMismatch.Id] = WeightsFileShapeMismatch,
        [TooManyParameters.Id] = TooManyParameters,
        [OptionalWeightsFileNotUsed.Id] = OptionalWeightsFileNotUsed,
        [LayerNeedsOtherShape.Id] = LayerNeedsOtherShape,
        [WindowLargerThanInput.Id] = WindowLargerThanInput,
        [OutputLayerNotDense.Id] = OutputLayerNotDense,
        [EmbeddingNotFirst.Id] = EmbeddingNotFirst,
        [PaddingIndexOutsideVocabulary.Id] = PaddingIndexOutsideVocabulary,
        [RecurrentActivationNotSupported.Id] = RecurrentActivationNotSupported,
    };

    public static IReadOnlyCollection<DiagnosticDescriptor> All => s_byId.Values;

    public static DiagnosticDescriptor ById(string id) => s_byId[id];

    private static DiagnosticDescriptor Error(string id, string title, string message)
        => Create(id, title, message, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string title, string message)
        => Create(id, title, message, DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity)
        => new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());
}
