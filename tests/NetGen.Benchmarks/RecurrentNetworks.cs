using NetGen;

namespace NetGen.Benchmarks;

// W6: the recurrent benchmark networks, an LSTM or a GRU of H units over 28 steps of H features, then Dense(1) on the
// last step's output (Dense is the only output layer NetGen has; one unit keeps it out of the figures). The same
// networks as make_recurrent_onnx.py exports for ONNX Runtime.

/// <summary>W6: LSTM of 8 units over 28 steps of 8 features, Dense(1) after it.</summary>
[Network]
[Input(28, 8)]
[Lstm(8)]
[Dense(1)]
public partial class Lstm8Net;

/// <summary>W6: LSTM of 16 units over 28 steps of 16 features, Dense(1) after it.</summary>
[Network]
[Input(28, 16)]
[Lstm(16)]
[Dense(1)]
public partial class Lstm16Net;

/// <summary>W6: LSTM of 32 units over 28 steps of 32 features, Dense(1) after it.</summary>
[Network]
[Input(28, 32)]
[Lstm(32)]
[Dense(1)]
public partial class Lstm32Net;

/// <summary>W6: LSTM of 64 units over 28 steps of 64 features, Dense(1) after it.</summary>
[Network]
[Input(28, 64)]
[Lstm(64)]
[Dense(1)]
public partial class Lstm64Net;

/// <summary>W6: GRU of 8 units over 28 steps of 8 features, Dense(1) after it.</summary>
[Network]
[Input(28, 8)]
[Gru(8)]
[Dense(1)]
public partial class Gru8Net;

/// <summary>W6: GRU of 16 units over 28 steps of 16 features, Dense(1) after it.</summary>
[Network]
[Input(28, 16)]
[Gru(16)]
[Dense(1)]
public partial class Gru16Net;

/// <summary>W6: GRU of 32 units over 28 steps of 32 features, Dense(1) after it.</summary>
[Network]
[Input(28, 32)]
[Gru(32)]
[Dense(1)]
public partial class Gru32Net;

/// <summary>W6: GRU of 64 units over 28 steps of 64 features, Dense(1) after it.</summary>
[Network]
[Input(28, 64)]
[Gru(64)]
[Dense(1)]
public partial class Gru64Net;
