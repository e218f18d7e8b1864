#!/usr/bin/env bash
# Packs NetGen and uses the package the way a user would: a fresh console project outside the repository (so none of
# its Directory.Build.props, Directory.Packages.props or project references apply), a nuget.config listing only the
# fresh package's folder and nuget.org, and an empty package cache of its own (so a NetGen package cached by an earlier
# run can never stand in for this one). The project walks the newcomer's path: it declares XOR, trains it, saves and
# loads it, and prints a line that this script checks; then it reads scikit-learn's wine CSV, standardizes it, trains a
# classifier, saves the whole model (network and standardizer) in one file, and prints predictions for raw samples. A
# second process loads that file and must print the very same predictions.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
feed="$work/feed"
app="$work/app"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Packing uses the machine's usual package cache, like the rest of the build (a cache of its own here would make the
# repository's projects restore into a folder that is deleted at exit).
echo "== dotnet pack src/NetGen -> $feed"
dotnet pack "$repo/src/NetGen" -c Release -o "$feed"
version="$(dotnet msbuild "$repo/src/NetGen/NetGen.csproj" -getProperty:PackageVersion)"
package="$feed/NetGen.$version.nupkg"
test -f "$package" || { echo "expected $package" >&2; ls -l "$feed" >&2; exit 1; }

# The layout: the runtime and its XML docs in lib/, the generator in analyzers/, nothing else that a consumer loads.
contents="$(unzip -Z1 "$package")"
for entry in lib/net10.0/NetGen.dll lib/net10.0/NetGen.xml analyzers/dotnet/cs/NetGen.Generator.dll; do
  grep -qx "$entry" <<<"$contents" || { echo "$package lacks $entry; it holds:" >&2; echo "$contents" >&2; exit 1; }
done
if grep -q 'NetGen.Generator.dll' <<<"$(grep '^lib/' <<<"$contents")"; then
  echo "the generator must not be in lib/ (consumers would reference it)" >&2; exit 1
fi
# Read whole, then searched: `unzip | grep -q` under pipefail depends on whether unzip is done before grep stops.
nuspec="$(unzip -p "$package" NetGen.nuspec)"
if grep -q '<dependency ' <<<"$nuspec"; then
  echo "the package must have no dependencies:" >&2; echo "$nuspec" >&2; exit 1
fi
# The metadata a package page shows: the licence, the project's page and the repository.
for field in '<license type="expression">MIT</license>' '<projectUrl>https://github.com/netgen-dotnet/netgen</projectUrl>' \
             '<repository type="git" url="https://github.com/netgen-dotnet/netgen"'; do
  grep -qF "$field" <<<"$nuspec" || { echo "the nuspec lacks $field:" >&2; echo "$nuspec" >&2; exit 1; }
done
# The package README's links must work outside the repository: no relative link to a file of the repository.
readme="$(unzip -p "$package" README.md)"
if grep -qE '\]\((docs|samples|tests|src)/' <<<"$readme"; then
  echo "the package README has relative links, dead on a package page:" >&2; grep -nE '\]\((docs|samples|tests|src)/' <<<"$readme" >&2; exit 1
fi

mkdir -p "$app"
# Stop MSBuild's upward search for Directory.Build.* / Directory.Packages.props at the temporary folder.
echo '<Project />' >"$work/Directory.Build.props"
echo '<Project />' >"$work/Directory.Build.targets"
echo '<Project />' >"$work/Directory.Packages.props"
cat >"$app/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="netgen-local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="netgen-local"><package pattern="NetGen" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
EOF
cat >"$app/Consumer.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="NetGen" Version="$version" />
  </ItemGroup>
</Project>
EOF
cp "$repo/tests/NetGen.Tests/Fixtures/wine_data.csv" "$app/wine_data.csv"
cat >"$app/Program.cs" <<'EOF'
using NetGen;

// train MODEL: trains XOR and the wine classifier, saves the wine model; predict MODEL: loads it and predicts.
string mode = args[0], modelPath = args[1];
var (wine, _) = CsvData.LoadClassification("wine_data.csv", classCount: 3, new CsvOptions { HasHeader = true });
if (mode == "predict")
{
    var loadedWine = new WineNet();
    Preprocessing preprocessing = NetworkFile.Load(loadedWine, modelPath);
    PrintPredictions(loadedWine, preprocessing, wine);
    return;
}

var xor = DataSet.FromRows(
    [[0, 0], [0, 1], [1, 0], [1, 1]],
    [[0], [1], [1], [0]]);

var net = new XorNet();
Trainer.Train(net, xor, new TrainingOptions { Epochs = 2000, BatchSize = TrainingOptions.FullBatch, LearningRate = 2 });

string path = Path.Combine(Path.GetTempPath(), $"consumer-{Environment.ProcessId}.ngw");
NetworkFile.Save(net, path);
var loaded = new XorNet();
NetworkFile.Load(loaded, path);
File.Delete(path);

var output = new float[XorNet.OutputSize];
var bits = new List<int>();
for (int s = 0; s < xor.Count; s++)
{
    loaded.Predict(xor.GetFeatures(s), output);
    bits.Add(output[0] >= 0.5f ? 1 : 0);
}
Console.WriteLine($"netgen-consumer: XOR {string.Join(' ', bits)} ({XorNet.ParameterCount} parameters, fingerprint 0x{ShapeFingerprint.Of<XorNet>():X16})");

// The wine classifier: standardization fitted on the training part only, saved with the network in one file.
var (training, test) = wine.Split(0.8, seed: 1);
var standardizer = Standardizer.Fit(training);
var wineNet = new WineNet();
Trainer.Train(wineNet, standardizer.Transform(training), new TrainingOptions { Epochs = 100, BatchSize = 16, LearningRate = 0.01f, Optimizer = new Adam(), Seed = 1 });
float accuracy = Trainer.Evaluate(wineNet, standardizer.Transform(test)).Accuracy!.Value;
Console.WriteLine($"netgen-consumer: wine test accuracy {(accuracy >= 0.9f ? "at least 90%" : $"only {accuracy:P1}")}");
NetworkFile.Save(wineNet, modelPath, new Preprocessing(standardizer));
PrintPredictions(wineNet, new Preprocessing(standardizer), wine);

// Raw features in, through the preprocessing, to the network: every output with its exact bits.
static void PrintPredictions(WineNet net, Preprocessing preprocessing, DataSet raw)
{
    var input = new float[WineNet.InputSize];
    var output = new float[WineNet.OutputSize];
    foreach (int sample in new[] { 0, 60, 130, 177 })
    {
        preprocessing.Transform(raw.GetFeatures(sample), input);
        net.Predict(input, output);
        Console.WriteLine($"wine-prediction {sample}: {string.Join(' ', output.Select(v => $"{v:R} (0x{BitConverter.SingleToInt32Bits(v):X8})"))}");
    }
}

[Network(Loss = Loss.MeanSquaredError)]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet;

[Network(Loss = Loss.CrossEntropy)]
[Input(13)]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class WineNet;
EOF

export NUGET_PACKAGES="$work/packages"
echo "== consumer: restore NetGen $version from $feed into $NUGET_PACKAGES, build, train and save"
(cd "$app" && dotnet build -c Release -o "$app/out")
(cd "$app" && dotnet out/Consumer.dll train "$work/wine.ngw") | tee "$work/output.txt"
grep -qx 'netgen-consumer: XOR 0 1 1 0 (17 parameters, fingerprint 0x702A57F03A289357)' "$work/output.txt" \
  || { echo "the consumer did not print the expected XOR line" >&2; exit 1; }
grep -qx 'netgen-consumer: wine test accuracy at least 90%' "$work/output.txt" \
  || { echo "the wine classifier did not reach 90% test accuracy" >&2; exit 1; }
echo "== consumer, a second process: load the whole model from $work/wine.ngw and predict"
(cd "$app" && dotnet out/Consumer.dll predict "$work/wine.ngw") | tee "$work/reloaded.txt"
grep '^wine-prediction' "$work/output.txt" >"$work/trained-predictions.txt"
grep '^wine-prediction' "$work/reloaded.txt" >"$work/reloaded-predictions.txt"
test "$(wc -l <"$work/trained-predictions.txt")" -eq 4 || { echo "expected 4 predictions from the training process" >&2; exit 1; }
diff "$work/trained-predictions.txt" "$work/reloaded-predictions.txt" \
  || { echo "the model loaded in a second process predicts differently (above: trained < > reloaded)" >&2; exit 1; }
test -d "$NUGET_PACKAGES/netgen/$version" || { echo "NetGen was not restored into the fresh cache" >&2; exit 1; }
echo "pack-and-consume: NetGen $version packed, restored from a local feed and used outside the repository; the whole wine model (network and standardizer) saved, reloaded in a second process, same predictions: OK"
