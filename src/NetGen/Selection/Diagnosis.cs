namespace NetGen;

/// <summary>
/// The diagnosis of a learning curve, following the course: a training error above the error one would accept means
/// high bias (under-fitting), a validation error far above the training error means high variance (over-fitting).
/// Errors are the loss, or one minus a metric where higher is better (1 - accuracy is the classification error).
/// </summary>
/// <param name="Kind">The diagnosis.</param>
/// <param name="TrainingError">The training error it was made from.</param>
/// <param name="ValidationError">The validation error it was made from.</param>
/// <param name="AcceptableError">The error one would accept (a human's, or the goal's).</param>
/// <param name="GapTolerance">The largest gap between validation and training error that is not over-fitting.</param>
public sealed record Diagnosis(FitDiagnosis Kind, double TrainingError, double ValidationError, double AcceptableError, double GapTolerance)
{
    /// <summary>The diagnosis and what to do about it, in plain words.</summary>
    public string Advice => Kind switch
    {
        FitDiagnosis.HighBias =>
            $"High bias (under-fitting): the training error {TrainingError:G3} is above the acceptable {AcceptableError:G3}. " +
            "Use a larger network (more units or layers), train longer, or reduce regularization; more data will not help.",
        FitDiagnosis.HighVariance =>
            $"High variance (over-fitting): the validation error {ValidationError:G3} is {ValidationError - TrainingError:G3} above the training error {TrainingError:G3}. " +
            "Get more training data, add regularization (L2, dropout), stop earlier, or use a smaller network.",
        FitDiagnosis.HighBiasAndHighVariance =>
            $"High bias and high variance: the training error {TrainingError:G3} is above the acceptable {AcceptableError:G3}, " +
            $"and the validation error {ValidationError:G3} far above it. Fix the bias first (a larger network, longer training), then the variance.",
        _ =>
            $"Fine: the training error {TrainingError:G3} is acceptable and the validation error {ValidationError:G3} is close to it. " +
            "Measure the test set once to confirm.",
    };

    /// <summary>Diagnoses a model from its training and validation errors.</summary>
    /// <param name="trainingError">The error on the training data.</param>
    /// <param name="validationError">The error on the validation data.</param>
    /// <param name="acceptableError">The error one would accept: a training error above it is high bias.</param>
    /// <param name="gapTolerance">The largest validation-minus-training gap that is not high variance; the acceptable error when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An error is not finite, or the acceptable error or tolerance is negative.</exception>
    public static Diagnosis Of(double trainingError, double validationError, double acceptableError, double? gapTolerance = null)
    {
        if (!double.IsFinite(trainingError))
        {
            throw new ArgumentOutOfRangeException(nameof(trainingError), trainingError, "The training error must be a finite number.");
        }
        if (!double.IsFinite(validationError))
        {
            throw new ArgumentOutOfRangeException(nameof(validationError), validationError, "The validation error must be a finite number.");
        }
        if (!(acceptableError >= 0 && double.IsFinite(acceptableError)))
        {
            throw new ArgumentOutOfRangeException(nameof(acceptableError), acceptableError, "The acceptable error must be a finite number, 0 or more.");
        }
        double tolerance = gapTolerance ?? acceptableError;
        if (!(tolerance >= 0 && double.IsFinite(tolerance)))
        {
            throw new ArgumentOutOfRangeException(nameof(gapTolerance), gapTolerance, "The gap tolerance must be a finite number, 0 or more.");
        }
        bool bias = trainingError > acceptableError;
        bool variance = validationError - trainingError > tolerance;
        FitDiagnosis kind = bias ? (variance ? FitDiagnosis.HighBiasAndHighVariance : FitDiagnosis.HighBias) : variance ? FitDiagnosis.HighVariance : FitDiagnosis.Fine;
        return new Diagnosis(kind, trainingError, validationError, acceptableError, tolerance);
    }

    /// <summary>The advice.</summary>
    public override string ToString() => Advice;
}
