using System.Runtime.Intrinsics;

namespace NetGen.Tests;

/// <summary>
/// .ci/run runs this suite again with DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0 so
/// that the 256-bit, 128-bit and scalar branches of the generated code each pass the gradient checks. This test makes
/// sure each run took the branch it meant to.
/// </summary>
public class VectorPathTests
{
    [Fact]
    public void The_runtime_uses_the_vector_widths_the_environment_allows()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0")
        {
            Assert.False(Vector128.IsHardwareAccelerated);
        }
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0")
        {
            Assert.False(Vector256.IsHardwareAccelerated);
            Assert.False(Vector512.IsHardwareAccelerated);
        }
        // .NET 10 reads DOTNET_EnableAVX512; earlier runtimes read DOTNET_EnableAVX512F, which .NET 10 ignores, so a run
        // that sets only the old name on an AVX-512 machine would test the 512-bit branch twice. .ci/run sets both.
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0" || Environment.GetEnvironmentVariable("DOTNET_EnableAVX512F") == "0")
        {
            Assert.False(Vector512.IsHardwareAccelerated);
        }
        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") is null)
        {
            Assert.True(Vector128.IsHardwareAccelerated, "every x64 and Arm64 machine .NET 10 runs on has 128-bit vectors");
        }
    }
}
