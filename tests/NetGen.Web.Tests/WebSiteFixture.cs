using System.Diagnostics;
using Microsoft.Playwright;

namespace NetGen.Web.Tests;

/// <summary>
/// The published site, served once for all the tests, and one headless chromium. The site is the folder that
/// NETGEN_WEB_PUBLISHED names (the output of <c>dotnet publish samples/WebDigits -c Release -o DIR</c>), else this
/// fixture publishes it into a temporary folder. Screenshots go to NETGEN_WEB_SCREENSHOTS, else to a screenshots
/// folder next to the test assembly.
/// </summary>
public sealed class WebSiteFixture : IAsyncLifetime
{
    private string? _temporaryPublish;
    private StaticSite? _site;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The folder screenshots are written to.</summary>
    public string ScreenshotFolder { get; } = Environment.GetEnvironmentVariable("NETGEN_WEB_SCREENSHOTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>The root address of the served site.</summary>
    public Uri Address => _site?.Address ?? throw new InvalidOperationException("The site is not being served.");

    /// <summary>The browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not been launched.");

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        if (!File.Exists(BrowserFactAttribute.ChromiumPath))
        {
            return;
        }
        string published = Environment.GetEnvironmentVariable("NETGEN_WEB_PUBLISHED") is { Length: > 0 } given ? given : await PublishAsync();
        _site = await StaticSite.StartAsync(Path.Combine(published, "wwwroot"));
        Directory.CreateDirectory(ScreenshotFolder);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.ChromiumPath,
            Headless = true,
            // Without the background-networking flags chromium tries to reach Google's services, which a closed network refuses.
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A new page of its own (1200x800), with the browser's console errors, failed requests and uncaught exceptions collected into <paramref name="errors"/>.</summary>
    public async Task<IPage> NewPageAsync(List<string> errors)
    {
        IPage page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 800 } });
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                lock (errors)
                {
                    errors.Add($"HTTP {response.Status} for {response.Url}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        return page;
    }

    /// <summary>Saves a full-page screenshot as NAME.png in <see cref="ScreenshotFolder"/>.</summary>
    public Task ScreenshotAsync(IPage page, string name)
        => page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_site is not null)
        {
            await _site.DisposeAsync();
        }
        if (_temporaryPublish is not null)
        {
            Directory.Delete(_temporaryPublish, recursive: true);
        }
    }

    private async Task<string> PublishAsync()
    {
        string project = Path.Combine(RepositoryRoot(), "samples", "WebDigits");
        _temporaryPublish = Directory.CreateTempSubdirectory("netgen-web-").FullName;
        var start = new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-o", _temporaryPublish])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start `dotnet publish`.");
        Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`dotnet publish {project}` failed with exit code {process.ExitCode}:\n{await output}\n{await error}");
        }
        return _temporaryPublish;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "NetGen.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No NetGen.sln above {AppContext.BaseDirectory}: set NETGEN_WEB_PUBLISHED to a published samples/WebDigits.");
    }
}

/// <summary>The tests that share one published site and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class WebSiteCollection : ICollectionFixture<WebSiteFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "web site";
}
