// Forecasting Mauna Loa's CO2 a month ahead with a GRU (MonthlyCo2Net.cs). The weekly series (data/co2, public domain,
// from Debian's python3-statsmodels) becomes monthly means; the network reads the last 24 monthly changes and predicts
// the next one. The last 5 years are held out: the forecast's RMSE there is compared with the seasonal-naive forecast
// (this month = the same month a year before), which the network must beat. Then the network streams: one month at a
// time with Step, as a monitor would run it.
//
//   dotnet run --project samples/Forecast -c Release
using System.Globalization;
using Forecast;
using NetGen;

const int Window = 24, HeldOutMonths = 60, Season = 12;
string path = Path.Combine(AppContext.BaseDirectory, "data", "co2.csv");
double[] months = MonthlyMeans(path, out string firstMonth);
Console.WriteLine($"Mauna Loa CO2: {months.Length} monthly means from {firstMonth}, {months[0]:F1} to {months[^1]:F1} ppmv; the last {HeldOutMonths} months held out.");

// The network reads changes from one month to the next, scaled by the training part's spread: they have no trend, so
// the held-out years, whose levels were never seen, look like the training ones.
double[] changes = new double[months.Length - 1];
for (int t = 1; t < months.Length; t++)
{
    changes[t - 1] = months[t] - months[t - 1];
}
int firstTest = months.Length - HeldOutMonths; // the first month forecast and scored
double scale = StandardDeviation(changes.AsSpan(0, firstTest - 1));
float Scaled(int change) => (float)(changes[change] / scale);

// A window ends at change index end - 1 and its target is change index end: the month end + 1 from month end.
DataSet Windows(int from, int to)
{
    int count = to - from;
    var features = new float[count * Window];
    var targets = new float[count];
    for (int i = 0; i < count; i++)
    {
        int end = from + i;
        for (int s = 0; s < Window; s++)
        {
            features[i * Window + s] = Scaled(end - Window + s);
        }
        targets[i] = Scaled(end);
    }
    return new DataSet(features, targets, Window, 1);
}
DataSet training = Windows(Window, firstTest - 1);
Console.WriteLine($"{training.Count} training windows of {Window} months; {MonthlyCo2Net.ParameterCount} parameters.");

var net = new MonthlyCo2Net();
TrainingResult result = Trainer.Train(net, training, new TrainingOptions
{
    Epochs = 300,
    BatchSize = 16,
    LearningRate = 3e-3f,
    Optimizer = new Adam(),
    Seed = 1,
    ValidationSplit = 0.15,
    EarlyStopping = new EarlyStopping { Metric = EarlyStoppingMetric.ValidationLoss, Patience = 30 },
});
Console.WriteLine($"Trained {result.History.Count} epochs, best at epoch {result.BestEpoch}.");

// The held-out months, forecast one month ahead from the 24 changes before each.
var input = new float[Window];
var output = new float[1];
double networkSquares = 0, naiveSquares = 0;
for (int month = firstTest; month < months.Length; month++)
{
    for (int s = 0; s < Window; s++)
    {
        input[s] = Scaled(month - 1 - Window + s);
    }
    net.Predict(input, output);
    double forecast = months[month - 1] + output[0] * scale;
    networkSquares += Square(forecast - months[month]);
    naiveSquares += Square(months[month - Season] - months[month]);
}
double networkRmse = Math.Sqrt(networkSquares / HeldOutMonths), naiveRmse = Math.Sqrt(naiveSquares / HeldOutMonths);
Console.WriteLine();
Console.WriteLine($"One month ahead over the last {HeldOutMonths} months (RMSE, ppmv):");
Console.WriteLine($"  GRU on the last {Window} changes:   {networkRmse:F3}");
Console.WriteLine($"  seasonal naive (a year before): {naiveRmse:F3}");

// Streaming: one state fed every change from the start of the series, a forecast after each month. Past its first 24
// months the stream runs beyond the declared window, which Step allows; its state carries the whole history.
var state = default(MonthlyCo2Net.StreamState);
var step = new float[1];
double streamSquares = 0;
for (int change = 0; change < changes.Length; change++)
{
    step[0] = Scaled(change);
    net.Step(ref state, step, output);
    int forecastMonth = change + 2;
    if (forecastMonth >= firstTest && forecastMonth < months.Length)
    {
        streamSquares += Square(months[forecastMonth - 1] + output[0] * scale - months[forecastMonth]);
    }
}
Console.WriteLine($"  GRU streamed with Step from 1958: {Math.Sqrt(streamSquares / HeldOutMonths):F3}");
state.Reset();
Console.WriteLine();
Console.WriteLine(networkRmse < naiveRmse
    ? $"The network's forecast beats the seasonal-naive one by {100 * (1 - networkRmse / naiveRmse):F0}%."
    : "The network did not beat the seasonal-naive forecast.");
return networkRmse < naiveRmse ? 0 : 1;

static double Square(double x) => x * x;

static double StandardDeviation(ReadOnlySpan<double> values)
{
    double mean = 0;
    foreach (double v in values)
    {
        mean += v;
    }
    mean /= values.Length;
    double sum = 0;
    foreach (double v in values)
    {
        sum += Square(v - mean);
    }
    return Math.Sqrt(sum / values.Length);
}

// The mean of each calendar month's weeks; a month with no measured week (none in this series after its first year,
// and the check says so) takes the value halfway between its neighbours.
static double[] MonthlyMeans(string path, out string firstMonth)
{
    var sums = new SortedDictionary<int, (double Sum, int Count)>();
    int lineNumber = 1;
    foreach (string line in File.ReadLines(path).Skip(1))
    {
        lineNumber++;
        string[] fields = line.Split(',');
        if (fields.Length != 2 || fields[0].Length != 8 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int date))
        {
            throw new InvalidDataException($"{path}, line {lineNumber}: expected 'YYYYMMDD,ppmv', got '{line}'.");
        }
        int month = date / 100;
        if (!sums.ContainsKey(month))
        {
            sums[month] = (0, 0);
        }
        if (fields[1].Length == 0)
        {
            continue; // a week without data
        }
        var (sum, count) = sums[month];
        sums[month] = (sum + double.Parse(fields[1], CultureInfo.InvariantCulture), count + 1);
    }
    var keys = sums.Keys.ToList();
    firstMonth = $"{keys[0] / 100}-{keys[0] % 100:D2}";
    var values = keys.Select(k => sums[k].Count > 0 ? sums[k].Sum / sums[k].Count : double.NaN).ToArray();
    for (int i = 0; i < values.Length; i++)
    {
        if (double.IsNaN(values[i]))
        {
            int next = Array.FindIndex(values, i + 1, v => !double.IsNaN(v));
            if (i == 0 || next < 0)
            {
                throw new InvalidDataException($"{path}: the month {keys[i] / 100}-{keys[i] % 100:D2} has no measured week and no measured neighbour on both sides.");
            }
            values[i] = values[i - 1] + (values[next] - values[i - 1]) / (next - i + 1);
        }
    }
    return values;
}
