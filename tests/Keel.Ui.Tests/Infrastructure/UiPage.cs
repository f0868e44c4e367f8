using Microsoft.Playwright;

namespace Keel.Ui.Tests.Infrastructure;

/// <summary>A browser tab on a Keel server that records console errors and failed page scripts, and saves screenshots.</summary>
public sealed class UiPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    private UiPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add($"console: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add($"script: {error}");
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Where screenshots go: KEEL_SCREENSHOT_DIR (./test points it into TestResults), else screenshots/ beside the test assembly.</summary>
    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("KEEL_SCREENSHOT_DIR") is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<UiPage> OpenAsync(ChromiumFixture chromium, Uri baseAddress)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
        });
        return new UiPage(context, await context.NewPageAsync());
    }

    /// <summary>Opens a path and waits until the network is idle (charts fetch their points after the page loads).</summary>
    public async Task<IResponse> GotoAsync(string path)
    {
        var response = await Page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        Assert.NotNull(response);
        return response;
    }

    /// <summary>
    /// Clicks and waits until the navigation it starts reaches <paramref name="url"/> and loads. The wait starts before the
    /// click, as Playwright advises, so a navigation that finishes quickly cannot be missed.
    /// </summary>
    public Task ClickAndWaitForUrlAsync(ILocator target, string url) => Task.WhenAll(Page.WaitForURLAsync(url), target.ClickAsync());

    /// <inheritdoc cref="ClickAndWaitForUrlAsync(ILocator, string)"/>
    public Task ClickAndWaitForUrlAsync(ILocator target, System.Text.RegularExpressions.Regex url) =>
        Task.WhenAll(Page.WaitForURLAsync(url), target.ClickAsync());

    public void AssertNoErrors()
    {
        lock (_errors)
        {
            Assert.True(_errors.Count == 0, $"{Page.Url} logged errors:\n{string.Join('\n', _errors)}");
        }
    }

    public async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
