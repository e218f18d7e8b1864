namespace NetGen;

/// <summary>How the learning rate changes from epoch to epoch.</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for <paramref name="epoch"/> (counting from 1) given the initial rate.</summary>
    public abstract double RateAt(int epoch, double initialRate);

    /// <summary>The same rate every epoch.</summary>
    public static LearningRateSchedule Constant { get; } = new ConstantSchedule();

    /// <summary>Step decay, as <c>torch.optim.lr_scheduler.StepLR</c>: eta_0 gamma^floor((epoch - 1) / stepSize).</summary>
    public static LearningRateSchedule StepDecay(int stepSize, double gamma) => new StepDecaySchedule(stepSize, gamma);

    /// <summary>Exponential decay, as <c>torch.optim.lr_scheduler.ExponentialLR</c>: eta_0 gamma^(epoch - 1).</summary>
    public static LearningRateSchedule ExponentialDecay(double gamma) => new ExponentialDecaySchedule(gamma);

    private sealed class ConstantSchedule : LearningRateSchedule
    {
        public override double RateAt(int epoch, double initialRate) => initialRate;
    }

    private sealed class StepDecaySchedule : LearningRateSchedule
    {
        private readonly int _stepSize;
        private readonly double _gamma;

        public StepDecaySchedule(int stepSize, double gamma)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
            if (!(gamma > 0 && gamma <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Gamma must be in (0, 1].");
            }
            _stepSize = stepSize;
            _gamma = gamma;
        }

        public override double RateAt(int epoch, double initialRate) => initialRate * Math.Pow(_gamma, (epoch - 1) / _stepSize);
    }

    private sealed class ExponentialDecaySchedule : LearningRateSchedule
    {
        private readonly double _gamma;

        public ExponentialDecaySchedule(double gamma)
        {
            if (!(gamma > 0 && gamma <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Gamma must be in (0, 1].");
            }
            _gamma = gamma;
        }

        public override double RateAt(int epoch, double initialRate) => initialRate * Math.Pow(_gamma, epoch - 1);
    }
}
