using System.Collections.Concurrent;

namespace NetGen.Generator.Tests;

/// <summary>Valid network declarations the tests compile, by name. Public types carry doc comments: the compilations check them.</summary>
internal static class Declarations
{
    /// <summary>The XOR network of the LogicGates sample: 2-4-1, tanh then sigmoid, mean squared error.</summary>
    public const string Xor = """
        using NetGen;

        namespace Samples;

        /// <summary>XOR.</summary>
        [Network(Loss = Loss.MeanSquaredError)]
        [Input(2)]
        [Dense(4, Activation.Tanh)]
        [Dense(1, Activation.Sigmoid)]
        public partial class XorNet;
        """;

    /// <summary>Big enough for the SIMD loops (1320 and 330 weights, lengths 40 and 33 with a scalar tail), softmax with cross-entropy.</summary>
    public const string Simd = """
        using NetGen;

        namespace Samples.Digits;

        /// <summary>Digits.</summary>
        [Network(Loss = Loss.CrossEntropy)]
        [Input(40)]
        [Dense(33, Activation.ReLU)]
        [Dense(10, Activation.Softmax)]
        public partial class DigitNet;
        """;

    /// <summary>Binary cross-entropy over two sigmoid outputs, nested in a partial class inside a namespace.</summary>
    public const string NestedBinaryCrossEntropy = """
        using NetGen;

        namespace Samples.Nested
        {
            /// <summary>Outer.</summary>
            public partial class Outer
            {
                /// <summary>Spam.</summary>
                [Network(Loss = Loss.BinaryCrossEntropy)]
                [Input(3)]
                [Dense(5, Activation.ReLU)]
                [Dense(2, Activation.Sigmoid)]
                public partial class SpamFilter;
            }
        }
        """;

    /// <summary>In the global namespace.</summary>
    public const string GlobalNamespace = """
        using NetGen;

        /// <summary>Global.</summary>
        [Network(Loss = Loss.BinaryCrossEntropy)]
        [Input(4)]
        [Dense(1, Activation.Sigmoid)]
        public partial class GlobalNet;
        """;

    /// <summary>The user's part declares constructors, fields and methods of its own.</summary>
    public const string UserConstructor = """
        using NetGen;

        namespace Samples;

        /// <summary>With constructors.</summary>
        [Network]
        [Input(2)]
        [Dense(3, Activation.Sigmoid)]
        [Dense(1, Activation.Identity)]
        public partial class ConstructedNet
        {
            private readonly string _name;

            /// <summary>Default.</summary>
            public ConstructedNet() : this(7) { }

            /// <summary>Seeded.</summary>
            public ConstructedNet(int seed)
            {
                _name = "seed " + seed;
                InitializeParameters(seed);
            }

            /// <summary>Name.</summary>
            public override string ToString() => _name + " with " + ParameterCount + " parameters";
        }
        """;

    /// <summary>Nested two levels deep in a partial record and a partial struct, with a block namespace.</summary>
    public const string NestedInRecordAndStruct = """
        using NetGen;

        namespace Samples.Deep
        {
            /// <summary>Record.</summary>
            public partial record Container(int Id)
            {
                /// <summary>Struct.</summary>
                public partial struct Inner
                {
                    /// <summary>Net.</summary>
                    [Network(Loss = Loss.MeanSquaredError)]
                    [Input(3)]
                    [Dense(2, Activation.ReLU)]
                    [Dense(2, Activation.Identity)]
                    internal sealed partial class DeepNet;
                }
            }
        }
        """;

    /// <summary>UnrollThreshold = 0 with lengths below one vector: only the scalar loops.</summary>
    public const string NoUnrolling = """
        using NetGen;

        namespace Samples;

        /// <summary>Looped.</summary>
        [Network(Loss = Loss.MeanSquaredError, UnrollThreshold = 0)]
        [Input(2)]
        [Dense(3, Activation.Tanh)]
        [Dense(1, Activation.Sigmoid)]
        public partial class LoopedNet;
        """;

    /// <summary>A single-layer perceptron with the step activation.</summary>
    public const string Perceptron = """
        using NetGen;

        namespace Samples;

        /// <summary>AND.</summary>
        [Network]
        [Input(2)]
        [Dense(1, Activation.Step)]
        public partial class AndPerceptron;
        """;

    /// <summary>Several hidden layers, a wide one unrolled by a high threshold, and a vector-length-exact SIMD layer.</summary>
    public const string DeepMixed = """
        using NetGen;

        namespace Samples;

        /// <summary>Deep.</summary>
        [Network(Loss = Loss.CrossEntropy, UnrollThreshold = 100)]
        [Input(16)]
        [Dense(6, Activation.Tanh)]
        [Dense(32, Activation.ReLU)]
        [Dense(16, Activation.Sigmoid)]
        [Dense(3, Activation.Softmax)]
        public partial class DeepNet;
        """;

    /// <summary>Dropout on two hidden layers, one unrolled and one looped.</summary>
    public const string Dropout = """
        using NetGen;

        namespace Samples;

        /// <summary>Dropout.</summary>
        [Network(Loss = Loss.CrossEntropy)]
        [Input(20)]
        [Dense(12, Activation.ReLU, Dropout = 0.5f)]
        [Dense(4, Activation.Tanh, Dropout = 0.125f)]
        [Dense(3, Activation.Softmax)]
        public partial class DropoutNet;
        """;

    /// <summary>The network's own loss (Huber) through sigmoid outputs.</summary>
    public const string CustomLoss = """
        using System;
        using NetGen;

        namespace Samples;

        /// <summary>Huber.</summary>
        [Network(Loss = Loss.Custom)]
        [Input(3)]
        [Dense(4, Activation.Tanh)]
        [Dense(2, Activation.Sigmoid)]
        public partial class HuberNet
        {
            [LossFunction]
            private static float Huber(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
            {
                float loss = 0f;
                for (int k = 0; k < prediction.Length; k++)
                {
                    float error = prediction[k] - target[k];
                    bool quadratic = MathF.Abs(error) <= 0.25f;
                    loss += quadratic ? 2f * error * error : MathF.Abs(error) - 0.125f;
                    gradient[k] = quadratic ? 4f * error : MathF.Sign(error);
                }
                return loss;
            }
        }
        """;

    /// <summary>A first layer of 10,240 weights, too large for the L1 cache: the prediction layout packs it (PackForPrediction, PredictPacked).</summary>
    public const string Packed = """
        using NetGen;

        namespace Samples;

        /// <summary>Packed.</summary>
        [Network(Loss = Loss.CrossEntropy)]
        [Input(256)]
        [Dense(40, Activation.ReLU)]
        [Dense(10, Activation.Softmax)]
        public partial class PackedNet;
        """;

    public static readonly string[] AllNames =
    [
        nameof(Xor), nameof(Simd), nameof(NestedBinaryCrossEntropy), nameof(GlobalNamespace), nameof(UserConstructor),
        nameof(NestedInRecordAndStruct), nameof(NoUnrolling), nameof(Perceptron), nameof(DeepMixed), nameof(Dropout), nameof(CustomLoss),
        nameof(Packed),
    ];

    private static readonly ConcurrentDictionary<string, Lazy<GeneratorRun>> s_runs = new();

    public static TheoryData<string> ValidNames => new(AllNames);

    /// <summary>The generator's run over the declaration <paramref name="name"/> alone, made once and shared by the tests that only read it.</summary>
    public static GeneratorRun RunOf(string name)
        => s_runs.GetOrAdd(name, n => new Lazy<GeneratorRun>(() => GeneratorHarness.Run(ByName(n)))).Value;

    public static string ByName(string name) => name switch
    {
        nameof(Xor) => Xor,
        nameof(Simd) => Simd,
        nameof(NestedBinaryCrossEntropy) => NestedBinaryCrossEntropy,
        nameof(GlobalNamespace) => GlobalNamespace,
        nameof(UserConstructor) => UserConstructor,
        nameof(NestedInRecordAndStruct) => NestedInRecordAndStruct,
        nameof(NoUnrolling) => NoUnrolling,
        nameof(Perceptron) => Perceptron,
        nameof(DeepMixed) => DeepMixed,
        nameof(Dropout) => Dropout,
        nameof(CustomLoss) => CustomLoss,
        nameof(Packed) => Packed,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>The hint name the generator gives each declaration's file.</summary>
    public static string HintNameOf(string name) => name switch
    {
        nameof(Xor) => "Samples.XorNet.g.cs",
        nameof(Simd) => "Samples.Digits.DigitNet.g.cs",
        nameof(NestedBinaryCrossEntropy) => "Samples.Nested.Outer.SpamFilter.g.cs",
        nameof(GlobalNamespace) => "GlobalNet.g.cs",
        nameof(UserConstructor) => "Samples.ConstructedNet.g.cs",
        nameof(NestedInRecordAndStruct) => "Samples.Deep.Container.Inner.DeepNet.g.cs",
        nameof(NoUnrolling) => "Samples.LoopedNet.g.cs",
        nameof(Perceptron) => "Samples.AndPerceptron.g.cs",
        nameof(DeepMixed) => "Samples.DeepNet.g.cs",
        nameof(Dropout) => "Samples.DropoutNet.g.cs",
        nameof(CustomLoss) => "Samples.HuberNet.g.cs",
        nameof(Packed) => "Samples.PackedNet.g.cs",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
