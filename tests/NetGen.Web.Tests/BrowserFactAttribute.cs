namespace NetGen.Web.Tests;

/// <summary>A test that needs Debian's chromium: skipped, with a message saying how to get it, when it is not installed.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    /// <summary>Where the tests expect the browser: Debian's <c>chromium</c> package puts it here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Marks the test skipped when <see cref="ChromiumPath"/> does not exist.</summary>
    public BrowserFactAttribute()
    {
        if (!File.Exists(ChromiumPath))
        {
            Skip = $"No browser: {ChromiumPath} does not exist. Install it with `apt-get install chromium` (Playwright's own browser download is not used).";
        }
    }
}
