namespace NetGen.Generator;

/// <summary>
/// Reads <c>[SimpleRnn(units, activation, ReturnSequences = b)]</c>, <c>[Lstm(units, ReturnSequences = b)]</c> and
/// <c>[Gru(units, ReturnSequences = b)]</c>.
/// </summary>
internal sealed class RecurrentLayerParser : ILayerParser
{
    private readonly LayerKind _kind;

    private RecurrentLayerParser(LayerKind kind) => _kind = kind;

    public static RecurrentLayerParser SimpleRnn { get; } = new(LayerKind.SimpleRnn);

    public static RecurrentLayerParser Lstm { get; } = new(LayerKind.Lstm);

    public static RecurrentLayerParser Gru { get; } = new(LayerKind.Gru);

    public string AttributeName => $"NetGen.{_kind}Attribute";

    public LayerModel? Parse(LayerParsingContext context)
    {
        if (context.IntArgument(0) is not int units)
        {
            return null;
        }
        var activation = Activation.Tanh;
        bool valid = context.CheckPositive(units, "The number of units", 0);
        if (_kind == LayerKind.SimpleRnn)
        {
            if (context.IntArgument(1) is not int activationValue)
            {
                return null;
            }
            activation = (Activation)activationValue;
            if (activation is not (Activation.Tanh or Activation.ReLU))
            {
                string name = System.Enum.IsDefined(typeof(Activation), activation) ? "Activation." + activation : $"(Activation){activationValue}";
                context.Report(DiagnosticDescriptors.RecurrentActivationNotSupported, 1, null, context.LayerNumber.ToString(), name);
                valid = false;
            }
        }
        bool returnSequences = context.Named("ReturnSequences", false);
        if (!context.Input.IsSequence)
        {
            string advice = context.Input.IsImage
                ? ": a recurrent layer reads one row per step; to read an image's rows, declare the input as [Input(height, width)]"
                : context.LayerNumber == 1
                    ? ": declare the input as [Input(steps, features)], one row of features per step"
                    : ": give the recurrent layer before it ReturnSequences = true, so that it writes every step";
            context.ReportShape(_kind.ToString(), "a sequence [steps, features]", advice);
            return null;
        }
        if (!valid)
        {
            return null;
        }
        return _kind switch
        {
            LayerKind.SimpleRnn => new SimpleRnnLayerModel(context.Input, units, activation, returnSequences),
            LayerKind.Lstm => new LstmLayerModel(context.Input, units, returnSequences),
            _ => new GruLayerModel(context.Input, units, returnSequences),
        };
    }
}
