namespace NetGen.Tests;

/// <summary>
/// The tests that check what the trainer's worker threads did. They run alone, after every other test: the worker pool
/// is shared by the process and lent to one trainer at a time, so a test elsewhere training with
/// <see cref="TrainingOptions.Threads"/> above 1 at the same moment would leave these tests' batches on one thread.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadsCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Threads";
}
