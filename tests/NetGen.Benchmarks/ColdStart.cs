using System.Diagnostics;
using System.Globalization;
using NetGen.Benchmarks.Peers;

namespace NetGen.Benchmarks;

/// <summary>
/// The cold-process mode (<c>--cold [N]</c>): W1 and W4 the way a user first meets them, each training run once in
/// a fresh child process of this program with the runtime's settings as inherited (set DOTNET_* variables on the
/// parent to compare). The children of the four cases are started in turn, N rounds, so that the machine's load
/// falls on all of them alike. For each case: the median and least time from the first call (creating the network or
/// FANN's network) to the end of training, the process's CPU time over the same span (all its threads, the JIT's
/// included: on a loaded machine the steadier figure), and the time from starting the process to its exit.
/// </summary>
public static partial class ColdStart
{
    private static readonly string[] s_cases = ["w1-netgen", "w1-fann", "w4-netgen", "w4-fann"];

    /// <summary>
    /// The parent: runs the children and prints the table. Returns the exit code. Each of <paramref name="executables"/>
    /// (a name and the path of a published ColdChild, such as a ReadyToRun or NativeAOT build) adds the rows
    /// w1-netgen-NAME and w4-netgen-NAME, run by that program in the same rounds.
    /// </summary>
    public static int Run(int rounds, IReadOnlyList<(string Name, string Path)> executables)
    {
        var cases = s_cases.Where(c => !c.EndsWith("-fann", StringComparison.Ordinal) || FannPeer.IsAvailable)
            .Concat(executables.SelectMany(e => new[] { $"w1-netgen-{e.Name}", $"w4-netgen-{e.Name}" }))
            .ToArray();
        var programs = executables.ToDictionary(e => e.Name, e => e.Path);
        if (!FannPeer.IsAvailable)
        {
            Console.WriteLine("FANN: SKIPPED, " + (FannPeer.LoadError ?? "left out (--no-fann)."));
        }
        var training = cases.ToDictionary(c => c, _ => new List<double>());
        var cpu = cases.ToDictionary(c => c, _ => new List<double>());
        var jit = cases.ToDictionary(c => c, _ => new List<double>());
        var process = cases.ToDictionary(c => c, _ => new List<double>());
        var checksums = cases.ToDictionary(c => c, _ => new HashSet<string>());
        for (int round = 0; round < rounds; round++)
        {
            foreach (string name in cases)
            {
                (double trainingMs, double cpuMs, double jitMs, double processMs, string checksum) = StartChild(name, programs);
                jit[name].Add(jitMs);
                training[name].Add(trainingMs);
                cpu[name].Add(cpuMs);
                process[name].Add(processMs);
                checksums[name].Add(checksum);
            }
        }

        Console.WriteLine($"Cold processes, {rounds} per case, load average {LoadAverage()}; DOTNET_* set: {DotnetVariables()}");
        Console.WriteLine("| case | first call to end of training, median (min) ms | CPU time of that span, median (min) ms | of the first: time in the JIT, median ms | process start to exit, median (min) ms | parameters |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (string name in cases)
        {
            Console.WriteLine(
                $"| {name} | {Median(training[name]):F2} ({training[name].Min():F2}) | {Median(cpu[name]):F2} ({cpu[name].Min():F2}) | {Median(jit[name]):F2} | {Median(process[name]):F1} ({process[name].Min():F1}) | " +
                $"{string.Join(", ", checksums[name])} |");
        }
        foreach (string workload in new[] { "w1", "w4" })
        {
            if (training.TryGetValue(workload + "-netgen", out var netGen) && training.TryGetValue(workload + "-fann", out var fann))
            {
                Console.WriteLine($"{workload}: FANN / NetGen, medians of the training times: {Median(fann) / Median(netGen):F2}x; of their CPU times: {Median(cpu[workload + "-fann"]) / Median(cpu[workload + "-netgen"]):F2}x");
            }
        }
        return 0;
    }

    /// <summary>
    /// The child: trains one case once and prints its time and the checksum of the trained parameters.
    /// <paramref name="epochs"/> replaces the workload's epochs (1 shows the fixed cost of a first training: mostly the JIT's).
    /// </summary>
    public static int RunChild(string name, int? epochs = null)
    {
        switch (name)
        {
            case "w1-netgen":
            {
                var data = Workloads.Xor();
                var start = Start();
                var net = WholeTraining.NewXorNet();
                var result = Trainer.Train(net, data.DataSet, epochs is { } e ? WholeTraining.XorOptions.With(e) : WholeTraining.XorOptions);
                Report(start, WholeTraining.Checksum(net.Parameters), result.Loss);
                return 0;
            }
            case "w4-netgen":
            {
                var data = Workloads.Digits();
                var start = Start();
                var net = WholeTraining.NewDigitsNet();
                var result = Trainer.Train(net, data.DataSet, epochs is { } e ? WholeTraining.DigitsOptions.With(e) : WholeTraining.DigitsOptions);
                Report(start, WholeTraining.Checksum(net.Parameters), result.Loss);
                return 0;
            }
            case "w1-fann":
            {
                var data = Workloads.Xor();
                var start = Start();
                using var fann = WholeTraining.NewXorFann(data);
                fann.Train(epochs ?? WholeTraining.XorEpochs);
                Report(start, 0, fann.MeanSquaredError);
                return 0;
            }
            case "w4-fann":
            {
                var data = Workloads.Digits();
                var start = Start();
                using var fann = WholeTraining.NewDigitsFann(data);
                fann.Train(epochs ?? WholeTraining.DigitsEpochs);
                Report(start, 0, fann.MeanSquaredError);
                return 0;
            }
            default:
                Console.Error.WriteLine($"--cold-child: unknown case '{name}'; expected one of {string.Join(", ", s_cases)}.");
                return 2;
        }
    }

    private static (long Clock, double Cpu, TimeSpan Jit, long JitMethods) Start()
        => (Stopwatch.GetTimestamp(), ProcessCpuSeconds(), System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount());

    private static void Report((long Clock, double Cpu, TimeSpan Jit, long JitMethods) start, ulong checksum, float loss)
    {
        double cpuMs = (ProcessCpuSeconds() - start.Cpu) * 1000;
        double ms = Stopwatch.GetElapsedTime(start.Clock).TotalMilliseconds;
        double jitMs = (System.Runtime.JitInfo.GetCompilationTime() - start.Jit).TotalMilliseconds;
        long jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount() - start.JitMethods;
        Console.WriteLine(FormattableString.Invariant(
            $"training_ms={ms:R} cpu_ms={cpuMs:R} jit_ms={jitMs:R} jit_methods={jitMethods} checksum={checksum:x16} loss={loss:R}"));
    }

    /// <summary>The CPU time of the whole process so far (CLOCK_PROCESS_CPUTIME_ID, nanosecond resolution), or NaN off Linux.</summary>
    private static unsafe double ProcessCpuSeconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return double.NaN;
        }
        const int ProcessCpuTimeClock = 2;
        long* time = stackalloc long[2];
        return clock_gettime(ProcessCpuTimeClock, time) == 0 ? time[0] + time[1] * 1e-9 : double.NaN;
    }

    [System.Runtime.InteropServices.LibraryImport("libc")]
    private static unsafe partial int clock_gettime(int clock, long* time);

    private static (double TrainingMs, double CpuMs, double JitMs, double ProcessMs, string Checksum) StartChild(string name, Dictionary<string, string> programs)
    {
        // "w1-netgen-r2r" is case w1-netgen run by the program named r2r; the others are run by this program.
        string[] parts = name.Split('-', 3);
        string childCase = parts.Length == 3 ? $"{parts[0]}-{parts[1]}" : name;
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("The program's path is unknown.");
        string program = parts.Length == 3 ? programs[parts[2]] : self;
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        if (program == self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(Environment.GetCommandLineArgs()[0]); // the assembly the host runs
        }
        info.ArgumentList.Add("--cold-child");
        info.ArgumentList.Add(childCase);
        long start = Stopwatch.GetTimestamp();
        using var child = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {self}.");
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        double processMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The child for {name} exited with {child.ExitCode}: {output}");
        }
        var fields = output.Trim().Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
        return (Parse("training_ms"), Parse("cpu_ms"), Parse("jit_ms"), processMs, fields["checksum"]);

        double Parse(string field) => double.Parse(fields[field], CultureInfo.InvariantCulture);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The 1-minute load average (Linux), or "unknown".</summary>
    public static string LoadAverage()
        => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static string DotnetVariables()
    {
        var set = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("DOTNET_", StringComparison.Ordinal) && k != "DOTNET_ROOT" && !k.StartsWith("DOTNET_CLI", StringComparison.Ordinal))
            .Order()
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}");
        return string.Join(" ", set) is { Length: > 0 } list ? list : "none";
    }
}
