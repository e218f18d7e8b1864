using System.Reflection;

namespace NetGen.Tests;

/// <summary>
/// The methods a first training or prediction runs are compiled optimized at their first call
/// (<see cref="System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization"/>), not left as tier-0 code
/// for the tiered JIT to promote after the training has ended (docs/performance.md, "Cold start").
/// </summary>
public class ColdStartTests
{
    private static bool IsOptimizedAtFirstCall(MethodInfo method)
        => (method.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) != 0;

    [Theory]
    [InlineData(typeof(S2TanhSigmoidMse))]
    [InlineData(typeof(DigitsTestNet))]
    public void The_generated_entry_points_and_kernels_are_compiled_optimized_at_their_first_call(Type network)
    {
        const BindingFlags Static = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        string[] entryPoints = ["Predict", "Evaluate", "AccumulateGradient", "ComputeBatchGradient", "AccumulateBatchGradient", "SgdStep"];
        foreach (string name in entryPoints)
        {
            var overloads = network.GetMethods(Static).Where(m => m.Name == name).ToArray();
            Assert.NotEmpty(overloads);
            Assert.All(overloads, m => Assert.True(IsOptimizedAtFirstCall(m), $"{network.Name}.{m}"));
        }
        Type kernels = network.GetNestedType("Kernels", BindingFlags.NonPublic)!;
        var kernelMethods = kernels.GetMethods(Static).Where(m => m.Name != "CreateInitialParameters").ToArray();
        Assert.True(kernelMethods.Length > 10, $"{kernelMethods.Length} kernel methods");
        Assert.All(kernelMethods, m => Assert.True(IsOptimizedAtFirstCall(m), $"Kernels.{m}"));
    }

    [Fact]
    public void The_trainer_and_the_optimizers_steps_are_compiled_optimized_at_their_first_call()
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (string name in new[] { "RunEpochs", "TrainBatch", "TryTrainBatch", "MeanBatchGradient", "SumRows", "ScaleAndMeasure", "StepOptimizer" })
        {
            MethodInfo method = typeof(Trainer<XorNet>).GetMethod(name, All)!;
            Assert.True(IsOptimizedAtFirstCall(method), $"Trainer.{name}");
        }
        // What runs once per training (the set-up, the end) or only with early stopping is left to the quick first tier:
        // optimizing it at the first call would only lengthen a first training's compilation.
        foreach (string name in new[] { "Train", "StopsEarly", "Finish" })
        {
            MethodInfo method = typeof(Trainer<XorNet>).GetMethod(name, All)!;
            Assert.False(IsOptimizedAtFirstCall(method), $"Trainer.{name}");
        }
        Assert.True(IsOptimizedAtFirstCall(typeof(Optimizer).GetMethod("Step", All)!), "Optimizer.Step");
        foreach (Type optimizer in new[] { typeof(Sgd), typeof(Adam), typeof(AdamW), typeof(RmsProp), typeof(Adagrad), typeof(LazyAdam) })
        {
            Assert.True(IsOptimizedAtFirstCall(optimizer.GetMethod("Update", All)!), $"{optimizer.Name}.Update");
            Assert.True(IsOptimizedAtFirstCall(optimizer.GetMethod("UpdateRange", All)!), $"{optimizer.Name}.UpdateRange");
        }
    }
}
