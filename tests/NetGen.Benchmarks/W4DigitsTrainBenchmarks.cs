using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.Peers;

namespace NetGen.Benchmarks;

/// <summary>
/// W4 as a whole training in steady state: one invocation is 10 epochs of per-sample SGD over the 1,797 digits
/// through <see cref="Trainer.Train{TNetwork}"/>, and the same with FANN's <c>fann_train_on_data</c>
/// (FANN_TRAIN_INCREMENTAL; sigmoid outputs with squared error, FANN having no softmax). Each invocation goes on from
/// where the last one stopped. The cold-process figures of the same trainings come from <c>--cold</c>.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class W4_DigitsTrain
{
    private LabelledData _digits = null!;
    private DigitsMlp _net = null!;
    private FannPeer? _fann;

    /// <summary>Builds both networks from the seed-42 parameters.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _digits = Workloads.Digits();
        _net = WholeTraining.NewDigitsNet();
        if (FannPeer.IsAvailable)
        {
            _fann = WholeTraining.NewDigitsFann(_digits);
        }
        Check.SettleGarbage();
    }

    /// <summary>Frees FANN's network and data.</summary>
    [GlobalCleanup]
    public void Cleanup() => _fann?.Dispose();

    /// <summary>NetGen as a user calls it: Trainer.Train, 10 epochs.</summary>
    [Benchmark(Baseline = true, Description = "NetGen Trainer.Train, 10 epochs")]
    public float NetGenTrain() => Trainer.Train(_net, _digits.DataSet, WholeTraining.DigitsOptions).Loss;

    /// <summary>FANN: fann_train_on_data, 10 epochs.</summary>
    [Benchmark(Description = "FANN fann_train_on_data, 10 epochs")]
    [BenchmarkCategory(BenchmarkConfig.Fann)]
    public void Fann() => _fann!.Train(WholeTraining.DigitsEpochs);
}
