namespace NetGen.Generator;

/// <summary>
/// Emits the loss of one sample and its gradient with respect to the output layer's weighted sums z (the output
/// delta the backward pass starts from), fused with the output activation where the pair allows it.
/// </summary>
internal static class LossEmitter
{
    public static void Emit(IndentedWriter writer, NetworkModel model)
    {
        Activation activation = model.OutputLayer.Activation;
        writer.WriteLine();
        switch (model.Loss)
        {
            case Loss.MeanSquaredError:
                writer.WriteLine("/// <summary>Mean squared error: L = (1/K) sum_k (prediction[k] - target[k])^2.</summary>");
                writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
                using (writer.Block("internal static float ComputeLoss(ReadOnlySpan<float> logits, ReadOnlySpan<float> prediction, ReadOnlySpan<float> target)"))
                {
                    writer.WriteLine("float sum = 0f;");
                    using (writer.Block($"for (int k = 0; k < OutputSize; k++)"))
                    {
                        writer.WriteLine("float error = prediction[k] - target[k];");
                        writer.WriteLine("sum += error * error;");
                    }
                    writer.WriteLine($"return sum * (1f / OutputSize);");
                }
                break;

            case Loss.BinaryCrossEntropy:
                writer.WriteLine("/// <summary>");
                writer.WriteLine("/// Binary cross-entropy of sigmoid outputs, L = -(1/K) sum_k [y ln p + (1 - y) ln(1 - p)], written with z instead");
                writer.WriteLine("/// of p = sigmoid(z) as max(z, 0) - z y + ln(1 + e^-|z|), which stays finite when the sigmoid saturates.");
                writer.WriteLine("/// </summary>");
                writer.WriteLine(NetworkEmitter.Optimized);
                using (writer.Block("internal static float ComputeLoss(ReadOnlySpan<float> logits, ReadOnlySpan<float> prediction, ReadOnlySpan<float> target)"))
                {
                    writer.WriteLine("float sum = 0f;");
                    using (writer.Block($"for (int k = 0; k < OutputSize; k++)"))
                    {
                        writer.WriteLine("float z = logits[k];");
                        writer.WriteLine("sum += Max(z, 0f) - z * target[k] + Log(1f + Exp(-Abs(z)));");
                    }
                    writer.WriteLine($"return sum * (1f / OutputSize);");
                }
                break;

            case Loss.CrossEntropy:
                writer.WriteLine("/// <summary>");
                writer.WriteLine("/// Cross-entropy of softmax outputs, L = -sum_k y_k ln p_k, written as sum_k y_k (logsumexp(z) - z_k) so that no");
                writer.WriteLine("/// logarithm of a rounded-to-zero probability is taken. logsumexp(z) = max z + ln sum_j e^(z_j - max z), and the softmax");
                writer.WriteLine("/// has already divided by that sum: where z is largest, p = 1 / sum, so ln sum = -ln p there (p >= 1/K, never tiny).");
                writer.WriteLine("/// </summary>");
                writer.WriteLine(NetworkEmitter.Optimized);
                using (writer.Block("internal static float ComputeLoss(ReadOnlySpan<float> logits, ReadOnlySpan<float> prediction, ReadOnlySpan<float> target)"))
                {
                    writer.WriteLine("float max = logits[0];");
                    writer.WriteLine("int largest = 0;");
                    using (writer.Block($"for (int k = 1; k < OutputSize; k++)"))
                    {
                        using (writer.Block("if (logits[k] > max)"))
                        {
                            writer.WriteLine("max = logits[k];");
                            writer.WriteLine("largest = k;");
                        }
                    }
                    writer.WriteLine("float logSumExp = max - Log(prediction[largest]);");
                    writer.WriteLine("float loss = 0f;");
                    using (writer.Block($"for (int k = 0; k < OutputSize; k++)"))
                    {
                        writer.WriteLine("loss += target[k] * (logSumExp - logits[k]);");
                    }
                    writer.WriteLine("return loss;");
                }
                break;

            case Loss.Custom:
                writer.WriteLine($"/// <summary>The network's own loss, {model.Type.Name}.{model.CustomLossMethod}; its gradient is not needed here.</summary>");
                writer.WriteLine(NetworkEmitter.Optimized);
                using (writer.Block("internal static float ComputeLoss(ReadOnlySpan<float> logits, ReadOnlySpan<float> prediction, ReadOnlySpan<float> target)"))
                {
                    writer.WriteLine("Span<float> unusedGradient = stackalloc float[OutputSize];");
                    writer.WriteLine($"return {model.Type.Name}.{model.CustomLossMethod}(prediction, target, unusedGradient);");
                }
                break;
        }

        if (model.Loss == Loss.Custom)
        {
            if (activation != Activation.Identity)
            {
                writer.WriteLine();
                EmitCustomOutputDelta(writer, activation);
            }
            return;
        }
        writer.WriteLine();
        EmitOutputDelta(writer, model.Loss, activation);
    }

    /// <summary>Whether the training pass must call OutputDelta after the custom loss (not for an identity output).</summary>
    public static bool CustomLossNeedsOutputDelta(NetworkModel model) => model.OutputLayer.Activation != Activation.Identity;

    private static void EmitCustomOutputDelta(IndentedWriter writer, Activation activation)
    {
        if (activation == Activation.Softmax)
        {
            writer.WriteLine("/// <summary>Turns delta = dL/dp into dL/dz through the softmax Jacobian: dL/dz[k] = p[k] (delta[k] - sum_j delta[j] p[j]).</summary>");
            writer.WriteLine(NetworkEmitter.Optimized);
            using (writer.Block("internal static void OutputDelta(ReadOnlySpan<float> prediction, Span<float> delta)"))
            {
                writer.WriteLine("float weighted = 0f;");
                using (writer.Block("for (int k = 0; k < OutputSize; k++)"))
                {
                    writer.WriteLine("weighted += delta[k] * prediction[k];");
                }
                using (writer.Block("for (int k = 0; k < OutputSize; k++)"))
                {
                    writer.WriteLine("delta[k] = prediction[k] * (delta[k] - weighted);");
                }
            }
            return;
        }
        writer.WriteLine($"/// <summary>Turns delta = dL/dp into dL/dz: times {ActivationCode.DerivativeComment(activation)}.</summary>");
        writer.WriteLine(NetworkEmitter.Optimized);
        using (writer.Block("internal static void OutputDelta(ReadOnlySpan<float> prediction, Span<float> delta)"))
        {
            using (writer.Block("for (int k = 0; k < OutputSize; k++)"))
            {
                writer.WriteLine(ActivationCode.MultiplyByDerivative(activation, "delta[k]", "prediction[k]")!);
            }
        }
    }

    private static void EmitOutputDelta(IndentedWriter writer, Loss loss, Activation activation)
    {
        const string Signature = "internal static void OutputDelta(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> delta)";
        if (loss == Loss.CrossEntropy)
        {
            writer.WriteLine("/// <summary>dL/dz of softmax with cross-entropy, fused: p - y (for targets that sum to 1).</summary>");
            writer.WriteLine(NetworkEmitter.Optimized);
            using (writer.Block(Signature))
            {
                using (writer.Block($"for (int k = 0; k < OutputSize; k++)"))
                {
                    writer.WriteLine("delta[k] = prediction[k] - target[k];");
                }
            }
            return;
        }
        if (loss == Loss.BinaryCrossEntropy)
        {
            writer.WriteLine("/// <summary>dL/dz of sigmoid with binary cross-entropy, fused: (p - y) / K.</summary>");
            writer.WriteLine(NetworkEmitter.Optimized);
            using (writer.Block(Signature))
            {
                using (writer.Block($"for (int k = 0; k < OutputSize; k++)"))
                {
                    writer.WriteLine($"delta[k] = (prediction[k] - target[k]) * (1f / OutputSize);");
                }
            }
            return;
        }

        if (activation == Activation.Softmax)
        {
            writer.WriteLine("/// <summary>");
            writer.WriteLine("/// dL/dz of mean squared error over softmax: with g = dL/dp = 2 (p - y) / K, the softmax Jacobian gives");
            writer.WriteLine("/// dL/dz[k] = p[k] (g[k] - sum_j g[j] p[j]).");
            writer.WriteLine("/// </summary>");
            writer.WriteLine(NetworkEmitter.Optimized);
            using (writer.Block(Signature))
            {
                writer.WriteLine("float weighted = 0f;");
                using (writer.Block($"for (int k = 0; k < OutputSize; k++)"))
                {
                    writer.WriteLine($"delta[k] = 2f * (prediction[k] - target[k]) * (1f / OutputSize);");
                    writer.WriteLine("weighted += delta[k] * prediction[k];");
                }
                using (writer.Block($"for (int k = 0; k < OutputSize; k++)"))
                {
                    writer.WriteLine("delta[k] = prediction[k] * (delta[k] - weighted);");
                }
            }
            return;
        }

        string comment = activation == Activation.Identity ? "" : ", times " + ActivationCode.DerivativeComment(activation);
        writer.WriteLine($"/// <summary>dL/dz of mean squared error: dL/dp = 2 (p - y) / K{comment}.</summary>");
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        using (writer.Block(Signature))
        {
            using (writer.Block($"for (int k = 0; k < OutputSize; k++)"))
            {
                writer.WriteLine($"delta[k] = 2f * (prediction[k] - target[k]) * (1f / OutputSize);");
                string? derivative = ActivationCode.MultiplyByDerivative(activation, "delta[k]", "prediction[k]");
                if (derivative is not null)
                {
                    writer.WriteLine(derivative);
                }
            }
        }
    }
}
