using NetGen;

namespace Forecast;

/// <summary>
/// Forecasts next month's change in CO2 from the changes of the last 24 months, one step per month: a GRU of 16 units
/// whose last hidden state a linear unit turns into the change. The shapes: [24, 1] -> [16] -> [1].
/// </summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(24, 1)]
[Gru(16)]
[Dense(1)]
public partial class MonthlyCo2Net;
