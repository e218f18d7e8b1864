using NetGen.Benchmarks.Peers;

namespace NetGen.Benchmarks;

/// <summary>
/// W1 and W4 as a user runs them: one whole training through <see cref="Trainer.Train{TNetwork}"/>, and the same
/// training with FANN's own loop. Shared by the cold-process mode (<see cref="ColdStart"/>) and the steady-state rows
/// (<see cref="W1_XorTrain"/>, <see cref="W4_DigitsTrain"/>). NetGen's options match what FANN does: samples in order
/// (no shuffle), and the epoch's loss taken from the training passes themselves (no extra evaluation pass).
/// </summary>
public static class WholeTraining
{
    /// <summary>W1's epochs: full-batch gradient descent on the 4 XOR samples.</summary>
    public const int XorEpochs = 10_000;

    /// <summary>W4's epochs: per-sample SGD over the 1,797 digits.</summary>
    public const int DigitsEpochs = 10;

    /// <summary>W1's options: full batch, learning rate 0.5, 10,000 epochs.</summary>
    public static TrainingOptions XorOptions { get; } = new()
    {
        Epochs = XorEpochs,
        BatchSize = TrainingOptions.FullBatch,
        LearningRate = Workloads.XorLearningRate,
        Shuffle = false,
        EvaluateTrainingData = false,
    };

    /// <summary>W4's options: batch size 1, learning rate 0.01, 10 epochs.</summary>
    public static TrainingOptions DigitsOptions { get; } = new()
    {
        Epochs = DigitsEpochs,
        BatchSize = 1,
        LearningRate = Workloads.PerSampleLearningRate,
        Shuffle = false,
        EvaluateTrainingData = false,
    };

    /// <summary>These options with <paramref name="epochs"/> epochs.</summary>
    public static TrainingOptions With(this TrainingOptions options, int epochs) => new()
    {
        Epochs = epochs,
        BatchSize = options.BatchSize,
        LearningRate = options.LearningRate,
        Shuffle = options.Shuffle,
        EvaluateTrainingData = options.EvaluateTrainingData,
    };

    /// <summary>A W1 network with the seed-42 parameters.</summary>
    public static XorNet NewXorNet()
    {
        var net = new XorNet();
        net.InitializeParameters(Workloads.Seed);
        return net;
    }

    /// <summary>A W4 network with the seed-42 parameters.</summary>
    public static DigitsMlp NewDigitsNet()
    {
        var net = new DigitsMlp();
        net.InitializeParameters(Workloads.Seed);
        return net;
    }

    /// <summary>The FANN counterpart of <see cref="NewXorNet"/>, full-batch.</summary>
    public static FannPeer NewXorFann(LabelledData xor)
    {
        var initial = new float[XorNet.ParameterCount];
        XorNet.InitializeParameters(initial, Workloads.Seed);
        return new FannPeer(XorNet.InputSize, XorNet.Layers, initial, xor, Workloads.XorLearningRate, fullBatch: true);
    }

    /// <summary>The FANN counterpart of <see cref="NewDigitsNet"/>, per sample.</summary>
    public static FannPeer NewDigitsFann(LabelledData digits)
    {
        var initial = new float[DigitsMlp.ParameterCount];
        DigitsMlp.InitializeParameters(initial, Workloads.Seed);
        return new FannPeer(DigitsMlp.InputSize, DigitsMlp.Layers, initial, digits, Workloads.PerSampleLearningRate, fullBatch: false);
    }

    /// <summary>An order-sensitive digest of the parameters' bits: equal digests mean bitwise equal parameters (for a given vector width).</summary>
    public static ulong Checksum(ReadOnlySpan<float> parameters)
    {
        ulong hash = 14695981039346656037UL;
        foreach (float value in parameters)
        {
            hash = (hash ^ BitConverter.SingleToUInt32Bits(value)) * 1099511628211UL;
        }
        return hash;
    }
}
