namespace NetGen;

/// <summary>
/// The instance forms of <see cref="INetwork{TSelf}"/>'s static members, for code that is generic over the network:
/// <c>network.Predict(input, output)</c> where it would otherwise write <c>TNetwork.Predict(network.Parameters, input, output)</c>.
/// A generated network class has the same members itself; these serve where only the interface is known.
/// </summary>
public static class NetworkExtensions
{
    /// <summary>The instance members of a network known by its interface.</summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    /// <param name="network">The network, whose own <see cref="INetwork{TSelf}.Parameters"/> are used.</param>
    extension<TNetwork>(TNetwork network) where TNetwork : class, INetwork<TNetwork>
    {
        /// <summary>Computes the network's output for one input with its own parameters.</summary>
        /// <param name="input">The <see cref="INetwork{TSelf}.InputSize"/> features.</param>
        /// <param name="output">Receives the <see cref="INetwork{TSelf}.OutputSize"/> outputs.</param>
        public void Predict(ReadOnlySpan<float> input, Span<float> output)
        {
            ArgumentNullException.ThrowIfNull(network);
            TNetwork.Predict(network.Parameters, input, output);
        }

        /// <summary>Computes the output for one input and returns its loss against <paramref name="target"/>.</summary>
        /// <param name="input">The <see cref="INetwork{TSelf}.InputSize"/> features.</param>
        /// <param name="target">The <see cref="INetwork{TSelf}.OutputSize"/> targets.</param>
        /// <param name="output">Receives the <see cref="INetwork{TSelf}.OutputSize"/> outputs.</param>
        public float Evaluate(ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> output)
        {
            ArgumentNullException.ThrowIfNull(network);
            return TNetwork.Evaluate(network.Parameters, input, target, output);
        }

        /// <summary>Runs forward and backward for one sample: adds dL/dtheta into <paramref name="gradient"/> and returns the loss.</summary>
        /// <param name="input">The <see cref="INetwork{TSelf}.InputSize"/> features.</param>
        /// <param name="target">The <see cref="INetwork{TSelf}.OutputSize"/> targets.</param>
        /// <param name="gradient">The <see cref="INetwork{TSelf}.ParameterCount"/> sums the gradient is added to.</param>
        public float AccumulateGradient(ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> gradient)
        {
            ArgumentNullException.ThrowIfNull(network);
            return TNetwork.AccumulateGradient(network.Parameters, input, target, gradient);
        }

        /// <summary>Fills the network's parameters with a fresh initialization drawn from <paramref name="seed"/>.</summary>
        /// <param name="seed">The seed: the same seed gives the same parameters.</param>
        public void InitializeParameters(int seed)
        {
            ArgumentNullException.ThrowIfNull(network);
            TNetwork.InitializeParameters(network.Parameters, seed);
        }
    }
}
