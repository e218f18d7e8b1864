namespace NetGen;

/// <summary>
/// Declares a neural network on a <c>partial</c> class. NetGen's source generator reads this attribute and the
/// <see cref="InputAttribute"/> and layer attributes that follow it (in source order) and generates the network's
/// forward pass, backward pass and parameters into the other part of the class.
/// </summary>
/// <example>
/// <code>
/// [Network(Loss = Loss.MeanSquaredError)]
/// [Input(2)]
/// [Dense(4, Activation.Tanh)]
/// [Dense(1, Activation.Sigmoid)]
/// public partial class XorNet;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>The default for <see cref="UnrollThreshold"/>.</summary>
    public const int DefaultUnrollThreshold = 64;

    /// <summary>The loss the network is trained to minimize. The default is <see cref="NetGen.Loss.MeanSquaredError"/>.</summary>
    public Loss Loss { get; set; } = Loss.MeanSquaredError;

    /// <summary>
    /// A dense layer with at most this many weights (inputs times units) is generated fully unrolled, one statement
    /// per unit with every weight a constant index; a larger one is generated as SIMD loops. The default is
    /// <see cref="DefaultUnrollThreshold"/>; 0 turns unrolling off.
    /// </summary>
    public int UnrollThreshold { get; set; } = DefaultUnrollThreshold;

    /// <summary>
    /// The name of a weights file, written by <see cref="CompiledWeightsFile.Save{TNetwork}(TNetwork, string)"/> and
    /// given to the compiler as an <c>AdditionalFiles</c> item, whose parameters the generator compiles into the
    /// assembly: every new instance starts from them, with no file to load at run time (retraining starts from them too;
    /// call <c>InitializeParameters(seed)</c> first to start afresh). Any file name will do. A missing file, or one made
    /// for another shape of network, is a compile-time error (see <see cref="WeightsOptional"/>).
    /// </summary>
    public string? Weights { get; set; }

    /// <summary>
    /// When true, a <see cref="Weights"/> file that is missing, damaged or made for another shape is warning NG0026
    /// instead of an error, and new instances start from the initialization of seed 0: so that a fresh clone can build
    /// the trainer that writes the file. The default is false.
    /// </summary>
    public bool WeightsOptional { get; set; }
}
