namespace NetGen.Tests;

/// <summary>NetworkFileException has the standard exception constructors, with an unspecified reason.</summary>
public sealed class NetworkFileExceptionTests
{
    [Fact]
    public void The_standard_constructors_keep_message_and_inner_exception()
    {
        var inner = new InvalidDataException("inner");
        Exception[] made = [new NetworkFileException(), new NetworkFileException("outer"), new NetworkFileException("outer", inner)];
        Assert.All(made, e => Assert.Equal(NetworkFileError.Unspecified, ((NetworkFileException)e).Reason));
        Assert.False(string.IsNullOrEmpty(made[0].Message));
        Assert.Equal("outer", made[1].Message);
        Assert.Same(inner, made[2].InnerException);
        Assert.Equal(0, (int)NetworkFileError.Unspecified);
    }
}
