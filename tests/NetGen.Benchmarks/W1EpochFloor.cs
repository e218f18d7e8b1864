using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NetGen.Benchmarks.Peers;

namespace NetGen.Benchmarks;

/// <summary>
/// <c>--w1-floor</c>: what W1's arithmetic costs with nothing around it. One XOR epoch (2-4-1, tanh then sigmoid,
/// mean squared error, full batch of 4, plain gradient descent) written by hand as one method, every operation in the
/// order the generated kernels and the trainer do it (the checks below compare the parameters and the loss bitwise
/// after 10,000 epochs), but with the parameters and the gradient in locals: no calls, no spans, no history, no
/// divergence guard, no clock. It is written twice, with the values in scalars and with the 16 hidden values in one
/// vector. Beside them, in the same process: the generated batch gradient and <see cref="Sgd"/> called in a loop,
/// <see cref="Trainer.Train{TNetwork}"/>, and FANN's <c>fann_train_on_data</c> on the same network. The issue's
/// target, 4x FANN through <c>Trainer.Train</c>, is then set against what the arithmetic alone takes.
/// </summary>
internal static class W1EpochFloor
{
    private const int Trials = 31;
    private const int Epochs = WholeTraining.XorEpochs;

    /// <summary>The inputs of <see cref="Workloads.Xor"/>'s four samples, as the data set holds them.</summary>
    private static float[] XorInputs => [.. Enumerable.Range(0, 4).SelectMany(s => Workloads.Xor().DataSet.GetFeatures(s).ToArray())];

    /// <summary>Their targets.</summary>
    private static float[] XorTargets => [.. Enumerable.Range(0, 4).SelectMany(s => Workloads.Xor().DataSet.GetTargets(s).ToArray())];


    public static int Run()
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            Console.Error.WriteLine("--w1-floor is written with 512-bit vectors, as the generated tanh runs on this machine's kind; this machine (or DOTNET_EnableAVX512F=0) has none.");
            return 2;
        }
        LabelledData xor = Workloads.Xor();
        float[] initial = new float[XorNet.ParameterCount];
        XorNet.InitializeParameters(initial, Workloads.Seed);

        // The same arithmetic: bitwise the parameters Trainer.Train gives.
        float[] inputs = XorInputs, targets = XorTargets;
        float[] byHand = (float[])initial.Clone();
        float lastLoss = TrainByHand(byHand, inputs, targets, Epochs, Workloads.XorLearningRate);
        var net = new XorNet();
        initial.CopyTo(net.Parameters, 0);
        TrainingResult result = Trainer.Train(net, xor.DataSet, WholeTraining.XorOptions);
        float[] inLanes = (float[])initial.Clone();
        float lanesLoss = TrainByHandInLanes(inLanes, inputs, targets, Epochs, Workloads.XorLearningRate);
        float[] kernelOnly = (float[])initial.Clone();
        float kernelLoss = TrainWithKernels(kernelOnly, inputs, targets, Epochs, Workloads.XorLearningRate);
        float[] fused = (float[])initial.Clone();
        float fusedLoss = TrainWithFusedStep(fused, inputs, targets, Epochs, Workloads.XorLearningRate);
        int lossBits = BitConverter.SingleToInt32Bits(result.History[^1].Loss);
        if (!kernelOnly.AsSpan().SequenceEqual(net.Parameters) || BitConverter.SingleToInt32Bits(kernelLoss) != lossBits
            || !fused.AsSpan().SequenceEqual(net.Parameters) || BitConverter.SingleToInt32Bits(fusedLoss) != lossBits)
        {
            Console.Error.WriteLine("The generated batch gradient and Sgd.Step in a loop, or the generated fused step, do not give Trainer.Train's parameters and loss bitwise.");
            return 1;
        }
        if (!byHand.AsSpan().SequenceEqual(net.Parameters) || BitConverter.SingleToInt32Bits(lastLoss) != lossBits ||
            !inLanes.AsSpan().SequenceEqual(net.Parameters) || BitConverter.SingleToInt32Bits(lanesLoss) != lossBits)
        {
            Console.Error.WriteLine("A hand-written epoch does not give Trainer.Train's parameters and loss bitwise: its figure would not be W1's floor.");
            return 1;
        }

        using FannPeer? fann = FannPeer.IsAvailable ? WholeTraining.NewXorFann(xor) : null;
        var handTimes = new List<double>();
        var laneTimes = new List<double>();
        var kernelTimes = new List<double>();
        var fusedTimes = new List<double>();
        var trainerTimes = new List<double>();
        var fannTimes = new List<double>();
        float[] scratch = (float[])initial.Clone();
        for (int trial = 0; trial < Trials; trial++)
        {
            // Alternated, so that a noisy stretch of the machine falls on every way alike.
            initial.CopyTo(scratch, 0);
            handTimes.Add(NanosecondsPerEpoch(() => TrainByHand(scratch, inputs, targets, Epochs, Workloads.XorLearningRate)));
            initial.CopyTo(scratch, 0);
            laneTimes.Add(NanosecondsPerEpoch(() => TrainByHandInLanes(scratch, inputs, targets, Epochs, Workloads.XorLearningRate)));
            initial.CopyTo(scratch, 0);
            kernelTimes.Add(NanosecondsPerEpoch(() => TrainWithKernels(scratch, inputs, targets, Epochs, Workloads.XorLearningRate)));
            initial.CopyTo(scratch, 0);
            fusedTimes.Add(NanosecondsPerEpoch(() => TrainWithFusedStep(scratch, inputs, targets, Epochs, Workloads.XorLearningRate)));
            trainerTimes.Add(NanosecondsPerEpoch(() => Trainer.Train(net, xor.DataSet, WholeTraining.XorOptions)));
            if (fann is not null)
            {
                fannTimes.Add(NanosecondsPerEpoch(() => fann.Train(Epochs)));
            }
        }

        Console.WriteLine($"W1, {Epochs:N0} epochs per training, {Trials} alternated trainings each, one thread; wall time per epoch.");
        Console.WriteLine("The hand-written epochs and the loop of NetGen's calls gave Trainer.Train's parameters and final loss bitwise.");
        Console.WriteLine();
        Console.WriteLine("| W1 epoch | median | best |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| the arithmetic alone, written by hand as one method | {Median(handTimes):0.0} ns | {handTimes.Min():0.0} ns |");
        Console.WriteLine($"| the same, the 16 hidden values kept in one vector throughout | {Median(laneTimes):0.0} ns | {laneTimes.Min():0.0} ns |");
        Console.WriteLine($"| NetGen's generated batch gradient (ComputeBatchGradient), the mean and Sgd.Step, in a loop | {Median(kernelTimes):0.0} ns | {kernelTimes.Min():0.0} ns |");
        Console.WriteLine($"| NetGen's generated fused step (SgdBatchStep), in a loop | {Median(fusedTimes):0.0} ns | {fusedTimes.Min():0.0} ns |");
        Console.WriteLine($"| NetGen, Trainer.Train | {Median(trainerTimes):0.0} ns | {trainerTimes.Min():0.0} ns |");
        if (fann is null)
        {
            Console.WriteLine("| FANN | not installed (libfloatfann) | |");
            return 0;
        }
        double fannMedian = Median(fannTimes);
        Console.WriteLine($"| FANN, fann_train_on_data | {fannMedian:0.0} ns | {fannTimes.Min():0.0} ns |");
        Console.WriteLine();
        double floor = Math.Min(Median(handTimes), Median(laneTimes));
        Console.WriteLine($"4x FANN asks Trainer.Train for at most {fannMedian / 4:0.0} ns per epoch: {fannMedian / 4 / floor:0.00} times what the faster of the hand-written epochs takes.");
        Console.WriteLine($"The arithmetic alone is {fannMedian / floor:0.00}x FANN; Trainer.Train is {fannMedian / Median(trainerTimes):0.00}x FANN.");
        return 0;
    }

    private static double NanosecondsPerEpoch(Action train)
    {
        long start = Stopwatch.GetTimestamp();
        train();
        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / Epochs;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>
    /// <paramref name="epochs"/> epochs of W1 on <paramref name="p"/> (XorNet's layout: layer 1's weights [4, 2] and
    /// biases, layer 2's weights [1, 4] and bias) with XOR's 4 samples' <paramref name="inputs"/> (2 each; the targets are
    /// <see cref="Workloads.Xor"/>'s, 0, 1, 1, 0, read from <paramref name="targets"/>); returns the last epoch's mean loss, taken before its step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float TrainByHand(float[] p, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int epochs, float learningRate)
    {
        // Read, not constants, so that the JIT cannot fold the products with 0 and 1 that the generated code computes.
        float x00 = inputs[0], x01 = inputs[1], x10 = inputs[2], x11 = inputs[3], x20 = inputs[4], x21 = inputs[5], x30 = inputs[6], x31 = inputs[7];
        float y0 = targets[0], y1 = targets[1], y2 = targets[2], y3 = targets[3];
        float w0 = p[0], w1 = p[1], w2 = p[2], w3 = p[3], w4 = p[4], w5 = p[5], w6 = p[6], w7 = p[7];
        float b0 = p[8], b1 = p[9], b2 = p[10], b3 = p[11];
        float v0 = p[12], v1 = p[13], v2 = p[14], v3 = p[15], c = p[16];
        float scale = 1f / 4;
        float meanLoss = 0f;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            // Layer 1, sample by sample, then tanh of all 16 values at once.
            Vector512<float> z = Vector512.Create(
                b0 + w0 * x00 + w1 * x01, b1 + w2 * x00 + w3 * x01, b2 + w4 * x00 + w5 * x01, b3 + w6 * x00 + w7 * x01,
                b0 + w0 * x10 + w1 * x11, b1 + w2 * x10 + w3 * x11, b2 + w4 * x10 + w5 * x11, b3 + w6 * x10 + w7 * x11,
                b0 + w0 * x20 + w1 * x21, b1 + w2 * x20 + w3 * x21, b2 + w4 * x20 + w5 * x21, b3 + w6 * x20 + w7 * x21,
                b0 + w0 * x30 + w1 * x31, b1 + w2 * x30 + w3 * x31, b2 + w4 * x30 + w5 * x31, b3 + w6 * x30 + w7 * x31);
            Vector512<float> h = Tanh(z);
            // Layer 2, then sigmoid of the 4 outputs at once.
            Vector128<float> o = Vector128.Create(
                c + v0 * h[0] + v1 * h[1] + v2 * h[2] + v3 * h[3],
                c + v0 * h[4] + v1 * h[5] + v2 * h[6] + v3 * h[7],
                c + v0 * h[8] + v1 * h[9] + v2 * h[10] + v3 * h[11],
                c + v0 * h[12] + v1 * h[13] + v2 * h[14] + v3 * h[15]);
            Vector128<float> a = Vector128<float>.One / (Vector128<float>.One + Exp(-o));

            // Mean squared error and its delta, sample by sample.
            float a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
            float loss = 0f;
            loss += Square(a0 - y0) * (1f / 1);
            loss += Square(a1 - y1) * (1f / 1);
            loss += Square(a2 - y2) * (1f / 1);
            loss += Square(a3 - y3) * (1f / 1);
            float d0 = 2f * (a0 - y0) * (1f / 1), d1 = 2f * (a1 - y1) * (1f / 1), d2 = 2f * (a2 - y2) * (1f / 1), d3 = 2f * (a3 - y3) * (1f / 1);
            d0 *= a0 * (1f - a0);
            d1 *= a1 * (1f - a1);
            d2 *= a2 * (1f - a2);
            d3 *= a3 * (1f - a3);

            // Layer 2's gradient summed over the samples; the hidden deltas through tanh' = 1 - h^2.
            float gc = 0f + d0 + d1 + d2 + d3;
            float gv0 = 0f + d0 * h[0] + d1 * h[4] + d2 * h[8] + d3 * h[12];
            float gv1 = 0f + d0 * h[1] + d1 * h[5] + d2 * h[9] + d3 * h[13];
            float gv2 = 0f + d0 * h[2] + d1 * h[6] + d2 * h[10] + d3 * h[14];
            float gv3 = 0f + d0 * h[3] + d1 * h[7] + d2 * h[11] + d3 * h[15];
            Vector512<float> back = Vector512.Create(v0 * d0, v1 * d0, v2 * d0, v3 * d0, v0 * d1, v1 * d1, v2 * d1, v3 * d1,
                v0 * d2, v1 * d2, v2 * d2, v3 * d2, v0 * d3, v1 * d3, v2 * d3, v3 * d3);
            Vector512<float> e = back * (Vector512<float>.One - h * h);

            // Layer 1's gradient summed over the samples.
            float gb0 = 0f + e[0] + e[4] + e[8] + e[12];
            float gb1 = 0f + e[1] + e[5] + e[9] + e[13];
            float gb2 = 0f + e[2] + e[6] + e[10] + e[14];
            float gb3 = 0f + e[3] + e[7] + e[11] + e[15];
            float gw0 = 0f + e[0] * x00 + e[4] * x10 + e[8] * x20 + e[12] * x30;
            float gw1 = 0f + e[0] * x01 + e[4] * x11 + e[8] * x21 + e[12] * x31;
            float gw2 = 0f + e[1] * x00 + e[5] * x10 + e[9] * x20 + e[13] * x30;
            float gw3 = 0f + e[1] * x01 + e[5] * x11 + e[9] * x21 + e[13] * x31;
            float gw4 = 0f + e[2] * x00 + e[6] * x10 + e[10] * x20 + e[14] * x30;
            float gw5 = 0f + e[2] * x01 + e[6] * x11 + e[10] * x21 + e[14] * x31;
            float gw6 = 0f + e[3] * x00 + e[7] * x10 + e[11] * x20 + e[15] * x30;
            float gw7 = 0f + e[3] * x01 + e[7] * x11 + e[11] * x21 + e[15] * x31;

            // The trainer's mean (the gradient times 1/4), then gradient descent: theta -= rate * (g + 0 * theta).
            meanLoss = (0f + loss) / 4;
            w0 = Step(w0, gw0 * scale, learningRate); w1 = Step(w1, gw1 * scale, learningRate);
            w2 = Step(w2, gw2 * scale, learningRate); w3 = Step(w3, gw3 * scale, learningRate);
            w4 = Step(w4, gw4 * scale, learningRate); w5 = Step(w5, gw5 * scale, learningRate);
            w6 = Step(w6, gw6 * scale, learningRate); w7 = Step(w7, gw7 * scale, learningRate);
            b0 = Step(b0, gb0 * scale, learningRate); b1 = Step(b1, gb1 * scale, learningRate);
            b2 = Step(b2, gb2 * scale, learningRate); b3 = Step(b3, gb3 * scale, learningRate);
            v0 = Step(v0, gv0 * scale, learningRate); v1 = Step(v1, gv1 * scale, learningRate);
            v2 = Step(v2, gv2 * scale, learningRate); v3 = Step(v3, gv3 * scale, learningRate);
            c = Step(c, gc * scale, learningRate);
        }
        p[0] = w0; p[1] = w1; p[2] = w2; p[3] = w3; p[4] = w4; p[5] = w5; p[6] = w6; p[7] = w7;
        p[8] = b0; p[9] = b1; p[10] = b2; p[11] = b3;
        p[12] = v0; p[13] = v1; p[14] = v2; p[15] = v3; p[16] = c;
        return meanLoss;
    }

    /// <summary>
    /// W1's epochs as the trainer makes them, without the trainer: the generated <c>ComputeBatchGradient</c> over the 4
    /// samples, the gradient times 1/4 (the trainer's mean) and <see cref="Sgd"/>'s step. What is left of
    /// <see cref="Trainer.Train{TNetwork}"/>'s time beyond this is the trainer's own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float TrainWithKernels(float[] p, float[] inputs, float[] targets, int epochs, float learningRate)
    {
        var gradient = new float[XorNet.ParameterCount];
        var sgd = new Sgd();
        var random = new DeterministicRandom(0); // XorNet has no dropout: the generator is never drawn from
        float meanLoss = 0f;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            meanLoss = (0f + XorNet.ComputeBatchGradient(p, inputs, targets, gradient, ref random)) / 4;
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] *= 1f / 4;
            }
            sgd.Step(p, gradient, learningRate);
        }
        return meanLoss;
    }

    /// <summary>W1's epochs through the generated fused step, <c>SgdBatchStep</c>, which the trainer takes for W1: the same bits as <see cref="TrainWithKernels"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float TrainWithFusedStep(float[] p, float[] inputs, float[] targets, int epochs, float learningRate)
    {
        float meanLoss = 0f;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            meanLoss = XorNet.SgdBatchStep(p, inputs, targets, learningRate) / 4;
        }
        return meanLoss;
    }

    /// <summary>
    /// <see cref="TrainByHand"/> with the 16 hidden values of the 4 samples as one vector from the start: the weights and
    /// biases of layer 1 broadcast to the 4 samples' lanes, the sums over the samples taken 128-bit quarter by quarter in
    /// sample order. The same operations in each lane, so the same bits, with fewer moves between scalars and vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float TrainByHandInLanes(float[] p, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int epochs, float learningRate)
    {
        // Lane 4s + j: sample s, hidden unit j.
        Vector512<float> x0 = Quarters(Vector128.Create(inputs[0]), Vector128.Create(inputs[2]), Vector128.Create(inputs[4]), Vector128.Create(inputs[6]));
        Vector512<float> x1 = Quarters(Vector128.Create(inputs[1]), Vector128.Create(inputs[3]), Vector128.Create(inputs[5]), Vector128.Create(inputs[7]));
        Vector128<float> y = Vector128.Create(targets[0], targets[1], targets[2], targets[3]);
        Vector128<float> wx0 = Vector128.Create(p[0], p[2], p[4], p[6]), wx1 = Vector128.Create(p[1], p[3], p[5], p[7]);
        Vector128<float> b = Vector128.Create(p[8], p[9], p[10], p[11]);
        Vector128<float> v = Vector128.Create(p[12], p[13], p[14], p[15]);
        float c = p[16];
        Vector128<float> scale = Vector128.Create(1f / 4), rate = Vector128.Create(learningRate);
        float meanLoss = 0f;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            Vector512<float> h = Tanh(Broadcast(b) + Broadcast(wx0) * x0 + Broadcast(wx1) * x1);
            Vector512<float> vh = Broadcast(v) * h;
            // c + v0 h0 + v1 h1 + v2 h2 + v3 h3 for each sample, in that order: a transpose of the 4 quarters.
            (Vector128<float> t0, Vector128<float> t1, Vector128<float> t2, Vector128<float> t3) = Transpose(vh);
            Vector128<float> o = Vector128.Create(c) + t0 + t1 + t2 + t3;
            Vector128<float> a = Vector128<float>.One / (Vector128<float>.One + Exp(-o));
            Vector128<float> error = a - y;
            Vector128<float> squares = error * error * Vector128.Create(1f / 1);
            float loss = 0f + squares[0] + squares[1] + squares[2] + squares[3];
            Vector128<float> d = Vector128.Create(2f) * error * Vector128.Create(1f / 1);
            d *= a * (Vector128<float>.One - a);
            // Layer 2's sums over the samples, sample by sample.
            Vector512<float> dh = Quarters(Vector128.Create(d[0]), Vector128.Create(d[1]), Vector128.Create(d[2]), Vector128.Create(d[3])) * h;
            float gc = 0f + d[0] + d[1] + d[2] + d[3];
            Vector128<float> gv = Vector128<float>.Zero + dh.GetLower().GetLower() + dh.GetLower().GetUpper() + dh.GetUpper().GetLower() + dh.GetUpper().GetUpper();
            Vector512<float> e = Broadcast(v) * Quarters(Vector128.Create(d[0]), Vector128.Create(d[1]), Vector128.Create(d[2]), Vector128.Create(d[3]));
            e *= Vector512<float>.One - h * h;
            Vector512<float> ex0 = e * x0, ex1 = e * x1;
            Vector128<float> gb = Vector128<float>.Zero + e.GetLower().GetLower() + e.GetLower().GetUpper() + e.GetUpper().GetLower() + e.GetUpper().GetUpper();
            Vector128<float> gwx0 = Vector128<float>.Zero + ex0.GetLower().GetLower() + ex0.GetLower().GetUpper() + ex0.GetUpper().GetLower() + ex0.GetUpper().GetUpper();
            Vector128<float> gwx1 = Vector128<float>.Zero + ex1.GetLower().GetLower() + ex1.GetLower().GetUpper() + ex1.GetUpper().GetLower() + ex1.GetUpper().GetUpper();
            meanLoss = (0f + loss) / 4;
            wx0 = StepLanes(wx0, gwx0 * scale, rate);
            wx1 = StepLanes(wx1, gwx1 * scale, rate);
            b = StepLanes(b, gb * scale, rate);
            v = StepLanes(v, gv * scale, rate);
            c = Step(c, gc * (1f / 4), learningRate);
        }
        p[0] = wx0[0]; p[1] = wx1[0]; p[2] = wx0[1]; p[3] = wx1[1]; p[4] = wx0[2]; p[5] = wx1[2]; p[6] = wx0[3]; p[7] = wx1[3];
        p[8] = b[0]; p[9] = b[1]; p[10] = b[2]; p[11] = b[3];
        p[12] = v[0]; p[13] = v[1]; p[14] = v[2]; p[15] = v[3]; p[16] = c;
        return meanLoss;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Broadcast(Vector128<float> quarter) => Quarters(quarter, quarter, quarter, quarter);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Quarters(Vector128<float> q0, Vector128<float> q1, Vector128<float> q2, Vector128<float> q3)
        => Vector512.Create(Vector256.Create(q0, q1), Vector256.Create(q2, q3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> StepLanes(Vector128<float> theta, Vector128<float> gradient, Vector128<float> rate) => theta - rate * (gradient + Vector128<float>.Zero * theta);

    /// <summary>Quarter k of the result holds lane k of each of <paramref name="value"/>'s four quarters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float>, Vector128<float>, Vector128<float>, Vector128<float>) Transpose(Vector512<float> value)
    {
        Vector512<int> index0 = Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
        Vector512<float> t = Vector512.Shuffle(value, index0);
        return (t.GetLower().GetLower(), t.GetLower().GetUpper(), t.GetUpper().GetLower(), t.GetUpper().GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Square(float value) => value * value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Step(float theta, float gradient, float rate) => theta - rate * (gradient + 0f * theta);

    // The generated kernels' tanh and e^x (VectorKernelEmitter, ActivationEmitter), lane for lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Tanh(Vector512<float> z)
    {
        Vector512<float> x = Vector512.Abs(z);
        Vector512<float> e = Exp(x * -2f);
        Vector512<float> quotient = (Vector512<float>.One - e) / (Vector512<float>.One + e);
        Vector512<float> x2 = x * x;
        Vector512<float> series = x * (Vector512<float>.One + x2 * (Vector512.Create(-1f / 3f) + x2 * Vector512.Create(2f / 15f)));
        return Vector512.CopySign(Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(0.0625f)), series, quotient), z);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-87.3f)), Vector512.Create(88.3f));
        Vector512<float> n = Vector512.Round(x * Vector512.Create(1.44269504f));
        Vector512<float> r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-0.693359375f), x);
        r = Vector512.MultiplyAddEstimate(n, Vector512.Create(2.12194440e-4f), r);
        Vector512<float> p = Vector512.MultiplyAddEstimate(Vector512.Create(1.9875691500e-4f), r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(5.0000001201e-1f));
        Vector512<float> expR = Vector512.MultiplyAddEstimate(p, r * r, r) + Vector512<float>.One;
        Vector512<float> twoToN = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
        return expR * twoToN;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Exp(Vector128<float> x)
    {
        x = Vector128.Min(Vector128.Max(x, Vector128.Create(-87.3f)), Vector128.Create(88.3f));
        Vector128<float> n = Vector128.Round(x * Vector128.Create(1.44269504f));
        Vector128<float> r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-0.693359375f), x);
        r = Vector128.MultiplyAddEstimate(n, Vector128.Create(2.12194440e-4f), r);
        Vector128<float> p = Vector128.MultiplyAddEstimate(Vector128.Create(1.9875691500e-4f), r, Vector128.Create(1.3981999507e-3f));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(8.3334519073e-3f));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(4.1665795894e-2f));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(1.6666665459e-1f));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(5.0000001201e-1f));
        Vector128<float> expR = Vector128.MultiplyAddEstimate(p, r * r, r) + Vector128<float>.One;
        Vector128<float> twoToN = Vector128.ShiftLeft(Vector128.ConvertToInt32(n) + Vector128.Create(127), 23).AsSingle();
        return expR * twoToN;
    }
}
