using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WebDigits.Components;
using WebDigits.Digits;
using Xunit.Abstractions;

namespace NetGen.Web.Tests;

/// <summary>The training page: XOR to 4 of 4, and a few epochs of the digits network, without freezing the page.</summary>
[Collection(WebSiteCollection.Name)]
public sealed partial class TrainPageTests(WebSiteFixture site, ITestOutputHelper output)
{
    private static readonly float Patience = (float)TimeSpan.FromMinutes(3).TotalMilliseconds;

    [BrowserFact]
    public async Task Xor_trains_to_four_of_four_while_the_page_shows_each_slice()
    {
        var errors = new List<string>();
        IPage page = await site.NewPageAsync(errors);
        await page.GotoAsync(new Uri(site.Address, "train").ToString());
        await page.Locator("#train-xor").ClickAsync();

        // A status between slices is proof that training hands the page back: a frozen page shows only the end.
        await Assertions.Expect(page.Locator("#xor-status")).ToHaveTextAsync(EpochInProgress(), new() { Timeout = Patience });
        await Assertions.Expect(page.Locator("#xor-result")).ToHaveTextAsync("4 of 4 right", new() { Timeout = Patience });
        int points = await page.Locator("#xor-curve polyline.loss").EvaluateAsync<int>("line => line.points.numberOfItems");
        Assert.Equal(2000, points);
        await site.ScreenshotAsync(page, "train-xor");
        Assert.Empty(errors);
    }

    [BrowserFact]
    public async Task The_digits_network_trains_epoch_by_epoch_as_it_does_under_desktop_dotnet()
    {
        const int Epochs = 5;
        var errors = new List<string>();
        IPage page = await site.NewPageAsync(errors);
        await page.GotoAsync(new Uri(site.Address, "train").ToString());
        await page.Locator("#digits-epochs").FillAsync(Epochs.ToString(CultureInfo.InvariantCulture));
        await page.Locator("#train-digits").ClickAsync();

        await Assertions.Expect(page.Locator("#digits-status")).ToHaveTextAsync(new Regex($@"^epoch \d of {Epochs}"), new() { Timeout = Patience });
        await Assertions.Expect(page.Locator("#digits-status")).ToHaveTextAsync(new Regex($"^Done: epoch {Epochs} of {Epochs}"), new() { Timeout = Patience });
        string status = await page.Locator("#digits-status").InnerTextAsync();
        Match browser = HeldOutAccuracy().Match(status);
        Assert.True(browser.Success, status);
        double browserAccuracy = double.Parse(browser.Groups[1].Value, CultureInfo.InvariantCulture) / 100;
        Assert.Equal(Epochs, await page.Locator("#digits-curve polyline.test-accuracy").EvaluateAsync<int>("line => line.points.numberOfItems"));
        await site.ScreenshotAsync(page, "train-digits");

        // The same run (same class, seeds and batches) under desktop .NET. The two do not agree to the bit: desktop
        // takes 256- or 512-bit vectors where WebAssembly has 128, so sums round differently and the difference grows
        // over 225 steps. Two points (7 of 359 digits) is several times what that has been seen to cost.
        var (training, test) = DigitsData.Load();
        var run = new DigitsTraining(training, test);
        EpochPoint desktop = default!;
        while (run.Epoch < Epochs)
        {
            for (int batch = 0; batch < run.BatchCount; batch++)
            {
                run.TrainBatch(batch);
            }
            desktop = run.EndEpoch();
        }
        output.WriteLine($"Held-out accuracy after {Epochs} epochs: {browserAccuracy:P1} in the browser, {desktop.TestAccuracy:P1} under desktop .NET.");
        Assert.InRange(browserAccuracy, desktop.TestAccuracy!.Value - 0.02, desktop.TestAccuracy.Value + 0.02);
        // Well above chance (10%): the network learned.
        Assert.True(browserAccuracy >= 0.8, status);
        Assert.Empty(errors);
    }

    [GeneratedRegex(@"^epoch \d+ of 2000")]
    private static partial Regex EpochInProgress();

    [GeneratedRegex(@"held-out accuracy ([0-9.]+)%")]
    private static partial Regex HeldOutAccuracy();
}
