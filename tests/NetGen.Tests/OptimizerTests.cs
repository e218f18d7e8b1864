using System.Text.Json;

namespace NetGen.Tests;

/// <summary>
/// Each optimizer's first five steps against <c>torch.optim</c>: Fixtures/optimizers.json holds, per case, the
/// gradients PyTorch computed and the parameters after each of its steps (tests/make_optimizer_fixtures.py).
/// </summary>
public class OptimizerTests
{
    // The same hyperparameters as the script's CASES.
    private static readonly Dictionary<string, (Func<Optimizer> Create, float LearningRate)> Cases = new()
    {
        ["sgd"] = (() => new Sgd(), 0.1f),
        ["sgd_weight_decay"] = (() => new Sgd(weightDecay: 0.1), 0.05f),
        ["sgd_momentum"] = (() => new Sgd(momentum: 0.9), 0.05f),
        ["sgd_momentum_dampening"] = (() => new Sgd(momentum: 0.8, dampening: 0.3), 0.05f),
        ["sgd_nesterov"] = (() => new Sgd(momentum: 0.9, nesterov: true, weightDecay: 0.01), 0.05f),
        ["adagrad"] = (() => new Adagrad(), 0.1f),
        ["adagrad_decay"] = (() => new Adagrad(learningRateDecay: 0.05, weightDecay: 0.1), 0.1f),
        ["rmsprop"] = (() => new RmsProp(), 0.01f),
        ["rmsprop_momentum"] = (() => new RmsProp(alpha: 0.9, momentum: 0.5, weightDecay: 0.05), 0.01f),
        ["adam"] = (() => new Adam(), 0.01f),
        ["adam_weight_decay"] = (() => new Adam(beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.1), 0.02f),
        ["adamw"] = (() => new AdamW(weightDecay: 0.1), 0.02f),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void First_five_steps_match_torch_optim(string name)
    {
        JsonElement fixture = LoadCase(name);
        var (create, learningRate) = Cases[name];
        Optimizer optimizer = create();
        float[] parameters = Floats(fixture.GetProperty("initial"));
        float[] previous = parameters.ToArray();
        int step = 0;
        foreach (JsonElement expected in fixture.GetProperty("steps").EnumerateArray())
        {
            step++;
            optimizer.Step(parameters, Floats(expected.GetProperty("gradient")), learningRate);
            float[] torch = Floats(expected.GetProperty("parameters"));
            for (int i = 0; i < parameters.Length; i++)
            {
                // Relative to the size of what the step computes with: theta - eta * step can cancel to a value far
                // smaller than either term, and float arithmetic is exact only relative to the terms.
                double scale = Math.Max(Math.Max(Math.Abs(previous[i]), Math.Abs(torch[i])), Math.Abs(torch[i] - previous[i]));
                double tolerance = 1e-6 * scale;
                Assert.True(Math.Abs(parameters[i] - torch[i]) <= tolerance,
                    $"{name}, step {step}: theta[{i}] is {parameters[i]:R}, PyTorch has {torch[i]:R}.");
            }
            previous = torch;
        }
        Assert.Equal(5, optimizer.StepCount);
    }

    [Fact]
    public void Every_fixture_case_is_tested()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(FixturePath));
        var names = document.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToHashSet();
        Assert.Equal(names.Order(), Cases.Keys.Order());
    }

    [Fact]
    public void A_step_allocates_nothing_after_the_first()
    {
        foreach (Optimizer optimizer in new Optimizer[] { new Sgd(momentum: 0.9), new Adagrad(), new RmsProp(momentum: 0.5), new Adam() })
        {
            var parameters = new float[1001];
            var gradient = Enumerable.Range(0, 1001).Select(i => (float)Math.Sin(i)).ToArray();
            // Warm up past tiered compilation, then take the least of several windows: the runtime may allocate once
            // while it swaps in optimized code, but a step that allocates shows in every window.
            for (int i = 0; i < 500; i++)
            {
                optimizer.Step(parameters, gradient, 0.01f);
            }
            long least = long.MaxValue;
            for (int window = 0; window < 5; window++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 100; i++)
                {
                    optimizer.Step(parameters, gradient, 0.01f);
                }
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Assert.Equal(0, least);
        }
    }

    [Fact]
    public void State_restored_into_a_new_optimizer_continues_the_same_trajectory()
    {
        var gradient = Enumerable.Range(0, 40).Select(i => (float)Math.Cos(i)).ToArray();
        var a = new Adam();
        var pa = new float[40];
        for (int i = 0; i < 3; i++)
        {
            a.Step(pa, gradient, 0.01f);
        }
        var b = new Adam();
        b.RestoreState(a.StepCount, a.State);
        var pb = pa.ToArray();
        a.Step(pa, gradient, 0.01f);
        b.Step(pb, gradient, 0.01f);
        Assert.Equal(pa, pb);
    }

    [Fact]
    public void An_optimizer_refuses_a_vector_of_another_length()
    {
        var adam = new Adam();
        adam.Step(new float[10], new float[10], 0.1f);
        var error = Assert.Throws<ArgumentException>(() => adam.Step(new float[11], new float[11], 0.1f));
        Assert.Contains("state for 10 parameters", error.Message);
        Assert.Throws<ArgumentException>(() => adam.Step(new float[10], new float[9], 0.1f));
        Assert.Throws<ArgumentException>(() => new Sgd(nesterov: true));
    }

    private static string FixturePath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "optimizers.json");

    private static JsonElement LoadCase(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(FixturePath));
        return document.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).Clone();
    }

    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
}
