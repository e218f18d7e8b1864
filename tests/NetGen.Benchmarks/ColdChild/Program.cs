using NetGen.Benchmarks;

// What one cold process of the cold mode runs (see ColdStart), built on its own so that it can be published
// ReadyToRun or NativeAOT: --cold-child CASE [EPOCHS].
if (args.Length is 2 or 3 && args[0] == "--cold-child")
{
    return ColdStart.RunChild(args[1], args.Length == 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : null);
}
Console.Error.WriteLine("usage: --cold-child CASE [EPOCHS]; the cold mode of NetGen.Benchmarks starts it (--cold N --cold-exe NAME=PATH).");
return 2;
