using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.Peers;

namespace NetGen.Benchmarks;

/// <summary>
/// W1 as a whole training in steady state: one invocation is 10,000 epochs of full-batch gradient descent on XOR
/// through <see cref="Trainer.Train{TNetwork}"/>, and the same with FANN's <c>fann_train_on_data</c>
/// (FANN_TRAIN_BATCH). Each invocation goes on from where the last one stopped. The cold-process figures of the same
/// trainings come from <c>--cold</c>.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class W1_XorTrain
{
    private LabelledData _xor = null!;
    private XorNet _net = null!;
    private FannPeer? _fann;

    /// <summary>Builds both networks from the seed-42 parameters.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _xor = Workloads.Xor();
        _net = WholeTraining.NewXorNet();
        if (FannPeer.IsAvailable)
        {
            _fann = WholeTraining.NewXorFann(_xor);
        }
        Check.SettleGarbage();
    }

    /// <summary>Frees FANN's network and data.</summary>
    [GlobalCleanup]
    public void Cleanup() => _fann?.Dispose();

    /// <summary>NetGen as a user calls it: Trainer.Train, 10,000 epochs.</summary>
    [Benchmark(Baseline = true, Description = "NetGen Trainer.Train, 10,000 epochs")]
    public float NetGenTrain() => Trainer.Train(_net, _xor.DataSet, WholeTraining.XorOptions).Loss;

    /// <summary>FANN: fann_train_on_data, 10,000 epochs.</summary>
    [Benchmark(Description = "FANN fann_train_on_data, 10,000 epochs")]
    [BenchmarkCategory(BenchmarkConfig.Fann)]
    public void Fann() => _fann!.Train(WholeTraining.XorEpochs);
}
