#!/usr/bin/env bash
# Packs NetGen and uses the package the way a user would: a fresh console project outside the repository (so none of
# its Directory.Build.props, Directory.Packages.props or project references apply), a nuget.config listing only the
# fresh package's folder and nuget.org, and an empty package cache of its own (so a NetGen package cached by an earlier
# run can never stand in for this one). The project declares XOR, trains it, saves and loads it, predicts, and prints a
# line that this script checks.
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
cat >"$app/Program.cs" <<'EOF'
using NetGen;

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

[Network(Loss = Loss.MeanSquaredError)]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet;
EOF

export NUGET_PACKAGES="$work/packages"
echo "== consumer: restore NetGen $version from $feed into $NUGET_PACKAGES, build, run"
(cd "$app" && dotnet run -c Release) | tee "$work/output.txt"
grep -qx 'netgen-consumer: XOR 0 1 1 0 (17 parameters, fingerprint 0x702A57F03A289357)' "$work/output.txt" \
  || { echo "the consumer did not print the expected line" >&2; exit 1; }
test -d "$NUGET_PACKAGES/netgen/$version" || { echo "NetGen was not restored into the fresh cache" >&2; exit 1; }
echo "pack-and-consume: NetGen $version packed, restored from a local feed and used outside the repository: OK"
