using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// Gets each training of a cross-validation, search or learning curve its own <see cref="TrainingOptions"/> from the
/// caller's factory, and refuses an optimizer that another training already uses: an optimizer keeps state for one
/// network, so sharing one would mix the networks' momentum and make the results depend on the order trainings ran.
/// </summary>
internal sealed class FreshOptions(Func<TrainingOptions> factory, ConditionalWeakTable<Optimizer, object>? claimed = null)
{
    private readonly ConditionalWeakTable<Optimizer, object> _claimed = claimed ?? [];

    /// <summary>The optimizers handed out so far, to share with the other trainings of one search.</summary>
    public ConditionalWeakTable<Optimizer, object> Claimed => _claimed;

    public TrainingOptions Next()
    {
        TrainingOptions options = factory() ?? throw new InvalidOperationException("The training options factory returned null.");
        if (options.Optimizer is { } optimizer && (optimizer.StepCount > 0 || !_claimed.TryAdd(optimizer, optimizer)))
        {
            throw new InvalidOperationException(
                $"The training options factory returned a {optimizer.GetType().Name} that another training already uses. An optimizer keeps state for one network: " +
                "create it inside the factory (Optimizer = new Adam()), so that each training gets its own.");
        }
        return options;
    }
}
