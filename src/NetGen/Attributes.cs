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

/// <summary>Declares the size of the network's input vector. Exactly one per network; read wherever it stands among the layer attributes, though it reads best before them.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Declares an input of <paramref name="size"/> features.</summary>
    /// <param name="size">The number of input features; at least 1.</param>
    public InputAttribute(int size) => Size = size;

    /// <summary>The number of input features.</summary>
    public int Size { get; }
}

/// <summary>
/// Declares a fully connected layer: every unit j computes z_j = b_j + sum_i W_ji x_i over the previous layer's
/// outputs x, then a_j = activation(z_j).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>Declares a dense layer of <paramref name="units"/> units.</summary>
    /// <param name="units">The number of units (outputs) of the layer; at least 1.</param>
    /// <param name="activation">The activation applied to each unit's weighted sum.</param>
    public DenseAttribute(int units, Activation activation = Activation.Identity)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>The number of units (outputs) of the layer.</summary>
    public int Units { get; }

    /// <summary>The activation applied to each unit's weighted sum.</summary>
    public Activation Activation { get; }

    /// <summary>
    /// The dropout rate p in [0, 1): while training, each of the layer's outputs is zeroed with probability p and the
    /// others are scaled by 1 / (1 - p) (inverted dropout), so that <c>Predict</c>, which never drops, needs no
    /// rescaling. Hidden layers only. The default 0 turns dropout off.
    /// </summary>
    public float Dropout { get; set; }
}

/// <summary>
/// Marks the static method that computes a network's own loss (with <c>[Network(Loss = Loss.Custom)]</c>). Its
/// signature must be <c>static float Name(ReadOnlySpan&lt;float&gt; prediction, ReadOnlySpan&lt;float&gt; target, Span&lt;float&gt; gradient)</c>:
/// it returns the loss of one sample and writes dL/dprediction[k] into <c>gradient[k]</c>; the generated backward pass
/// takes it from there through the output activation.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LossFunctionAttribute : Attribute
{
}
