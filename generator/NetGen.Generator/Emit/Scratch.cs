using System;
using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// Where a pass keeps its buffers (every layer's output, the deltas, the dropout masks): on the stack when they fit
/// the budget (<see cref="NetworkParser.MaxScratchBytes"/>), as for every dense network; otherwise in a workspace array
/// each thread allocates once and reuses, so that a large convolutional network still allocates nothing in steady
/// state. The buffers are declared the same way in both cases, so the passes' code does not change with the choice.
/// </summary>
internal static class Scratch
{
    public static bool UsesWorkspace(NetworkModel model)
        => NetworkEmitter.TrainingScratchFloats(model) * sizeof(float) > NetworkParser.MaxScratchBytes
           || (model.Layers.Any(l => l is Conv2DLayerModel) && NetworkEmitter.PredictionScratchFloats(model) * sizeof(float) > ConvolutionStackBytes);

    /// <summary>
    /// A convolutional network whose prediction needs more than this goes in the workspace even when it would fit the
    /// stack: C# zeroes every stackalloc on each call (generated code cannot ask its project for SkipLocalsInit), and
    /// for LeNet-5's 33 KB that zeroing cost more than renting the workspace.
    /// </summary>
    public const int ConvolutionStackBytes = 16 * 1024;

    /// <summary>The workspace's length in floats: one micro-batch's training pass.</summary>
    public static long WorkspaceFloats(NetworkModel model)
        => NetworkEmitter.MicroBatchSize(model) * NetworkEmitter.TrainingScratchFloats(model);

    /// <summary>The statement declaring a scratch buffer of <paramref name="size"/> floats (a C# expression).</summary>
    public static string Declare(bool workspace, string name, string size)
        => workspace
            ? $"Span<float> {name} = {NetworkEmitter.KernelsClass}.Take(ref scratch, {size});"
            : $"Span<float> {name} = stackalloc float[{size}];";

    /// <summary>
    /// Opens a pass's body: for a network that uses the workspace, takes this thread's workspace and returns it at the
    /// end, in a <c>finally</c> so that an exception (from a loss function, say) leaves it free.
    /// </summary>
    public static IDisposable Scope(IndentedWriter writer, bool workspace)
    {
        if (!workspace)
        {
            return new Nothing();
        }
        writer.WriteLine($"float[] workspace = {NetworkEmitter.KernelsClass}.RentWorkspace();");
        return new WorkspaceScope(writer);
    }

    /// <summary>The workspace's field and methods, in the kernels class, for a network that uses it.</summary>
    public static void EmitHelpers(IndentedWriter writer, NetworkModel model)
    {
        if (!UsesWorkspace(model))
        {
            return;
        }
        long floats = WorkspaceFloats(model);
        writer.WriteLine();
        writer.WriteLine($"/// <summary>");
        writer.WriteLine($"/// This thread's workspace: {floats} floats ({floats * sizeof(float)} bytes) for one pass's buffers, more than the stack should");
        writer.WriteLine("/// hold. Allocated on a thread's first pass and kept, so that later passes allocate nothing.");
        writer.WriteLine($"/// </summary>");
        writer.WriteLine("[ThreadStatic]");
        writer.WriteLine("private static float[]? t_workspace;");
        writer.WriteLine();
        writer.WriteLine("/// <summary>This thread's workspace, or a new array while it is in use (a loss function that calls the network back).</summary>");
        using (writer.Block("internal static float[] RentWorkspace()"))
        {
            writer.WriteLine("float[]? workspace = t_workspace;");
            writer.WriteLine("t_workspace = null;");
            writer.WriteLine($"return workspace ?? new float[{floats}];");
        }
        writer.WriteLine();
        writer.WriteLine("/// <summary>Gives the workspace back to this thread for its next pass.</summary>");
        writer.WriteLine("internal static void ReturnWorkspace(float[] workspace) => t_workspace = workspace;");
        writer.WriteLine();
        writer.WriteLine("/// <summary>The first <paramref name=\"length\"/> floats of <paramref name=\"scratch\"/>, which then starts after them.</summary>");
        using (writer.Block("internal static Span<float> Take(ref Span<float> scratch, int length)"))
        {
            writer.WriteLine("Span<float> taken = scratch.Slice(0, length);");
            writer.WriteLine("scratch = scratch.Slice(length);");
            writer.WriteLine("return taken;");
        }
    }

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }

    private sealed class WorkspaceScope : IDisposable
    {
        private readonly IndentedWriter _writer;
        private readonly IDisposable _try;

        public WorkspaceScope(IndentedWriter writer)
        {
            _writer = writer;
            _try = writer.Block("try");
            writer.WriteLine("Span<float> scratch = workspace;");
        }

        public void Dispose()
        {
            _try.Dispose();
            using (_writer.Block("finally"))
            {
                _writer.WriteLine($"{NetworkEmitter.KernelsClass}.ReturnWorkspace(workspace);");
            }
        }
    }
}
