using System.Net;
using Keel.Testing;
using Keel.Ui.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Keel.Ui.Tests;

/// <summary>The experiments list, the run table (filter, sort, paging, columns) and the run page, in a real browser.</summary>
public abstract class ExperimentPagesTests(KeelServerFixture server, ChromiumFixture chromium)
{
    private string Shot(string page) => $"{GetType().Name}-{page}";

    [Fact]
    public async Task ExperimentsList_LinksToTheExperiment_WithoutConsoleErrors()
    {
        var seeded = await UiSeed.ExperimentAsync(UiSeed.Client(server.BaseAddress), runs: 3);
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);

        await ui.GotoAsync("/experiments");
        await ui.ClickAndWaitForUrlAsync(ui.Page.GetByRole(AriaRole.Link, new() { Name = seeded.Name }), $"**/experiments/{seeded.ExperimentId}");

        Assert.Equal(3, await ui.Page.Locator("#run-table tbody tr").CountAsync());
        ui.AssertNoErrors();
        await ui.ScreenshotAsync(Shot("experiment"));
        await ui.GotoAsync("/experiments");
        await ui.ScreenshotAsync(Shot("experiments"));
    }

    [Fact]
    public async Task RunTable_FilterTypedInTheBox_ShowsOnlyMatchingRuns()
    {
        var seeded = await UiSeed.ExperimentAsync(UiSeed.Client(server.BaseAddress), runs: 6);
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);
        await ui.GotoAsync($"/experiments/{seeded.ExperimentId}");

        await ui.Page.GetByLabel("Run filter").FillAsync("metrics.loss < 0.3 and tags.team = 'a'");
        await Task.WhenAll(ui.Page.WaitForURLAsync("**filter=*"), ui.Page.GetByLabel("Run filter").PressAsync("Enter"));

        // loss ends at 1/(i+1): below 0.3 for i >= 3; team a is even i, so run-004 only.
        var names = await ui.Page.Locator("#run-table tbody tr td:nth-child(2)").AllInnerTextsAsync();
        Assert.Equal(["run-004"], names);
        Assert.Contains("filter=", ui.Page.Url);
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task RunTable_BadFilter_ShowsTheParsersMessageNotAnError()
    {
        var seeded = await UiSeed.ExperimentAsync(UiSeed.Client(server.BaseAddress), runs: 1);

        var response = await server.Http.GetAsync($"/experiments/{seeded.ExperimentId}?filter={Uri.EscapeDataString("metrics.loss <")}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"search-error\"", html);
        Assert.Contains("Invalid filter", html);
    }

    [Fact]
    public async Task RunTable_ClickingAColumnHeader_SortsByIt()
    {
        var seeded = await UiSeed.ExperimentAsync(UiSeed.Client(server.BaseAddress), runs: 5);
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);
        await ui.GotoAsync($"/experiments/{seeded.ExperimentId}?cols=metrics.acc&cols=params.lr");

        await ui.ClickAndWaitForUrlAsync(ui.Page.Locator("th[data-column='metrics.acc'] a"), "**order=*");
        var ascending = await ui.Page.Locator("#run-table tbody tr td:nth-child(2)").AllInnerTextsAsync();
        await ui.ClickAndWaitForUrlAsync(ui.Page.Locator("th[data-column='metrics.acc'] a"), "**DESC*");
        var descending = await ui.Page.Locator("#run-table tbody tr td:nth-child(2)").AllInnerTextsAsync();

        Assert.Equal(["run-000", "run-001", "run-002", "run-003", "run-004"], ascending);
        Assert.Equal(ascending.Reverse(), descending);
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task RunTable_NextPage_FollowsThePageTokenWithoutRepeatingRuns()
    {
        var seeded = await UiSeed.ExperimentAsync(UiSeed.Client(server.BaseAddress), runs: 25, steps: 2);
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);
        await ui.GotoAsync($"/experiments/{seeded.ExperimentId}?size=10&order=attributes.run_name%20ASC");

        var seen = new List<string>();
        seen.AddRange(await ui.Page.Locator("#run-table tbody tr td:nth-child(2)").AllInnerTextsAsync());
        for (var page = 0; page < 2; page++)
        {
            // Every page after the first has a page token, so wait for a different URL, not merely one with a token.
            var current = ui.Page.Url;
            await Task.WhenAll(ui.Page.WaitForURLAsync(url => url != current && url.Contains("page_token=", StringComparison.Ordinal)),
                ui.Page.Locator("#next-page").ClickAsync());
            seen.AddRange(await ui.Page.Locator("#run-table tbody tr td:nth-child(2)").AllInnerTextsAsync());
        }

        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"run-{i:D3}"), seen);
        Assert.Equal(0, await ui.Page.Locator("#next-page").CountAsync());
        Assert.Equal(1, await ui.Page.Locator("#first-page").CountAsync());
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task RunTable_ChosenColumns_AreShownAndKeptInTheUrl()
    {
        var seeded = await UiSeed.ExperimentAsync(UiSeed.Client(server.BaseAddress), runs: 2);

        var html = await server.Http.GetStringAsync($"/experiments/{seeded.ExperimentId}?cols=tags.team&cols=params.depth");

        Assert.Contains("data-column=\"tags.team\"", html);
        Assert.Contains("data-column=\"params.depth\"", html);
        Assert.DoesNotContain("data-column=\"metrics.loss\"", html);
        Assert.Contains("cols=tags.team&amp;cols=params.depth", html);
    }

    [Fact]
    public async Task RunPage_ShowsParamsAndDrawsAChartPerMetric()
    {
        var seeded = await UiSeed.ExperimentAsync(UiSeed.Client(server.BaseAddress), runs: 1, steps: 500);
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);

        await ui.GotoAsync($"/runs/{seeded.RunIds[0]}");
        await ui.Page.WaitForSelectorAsync(".chart[data-key='loss'][data-drawn] canvas");

        Assert.Equal("400", await ui.Page.Locator(".chart[data-key='loss']").GetAttributeAsync("data-drawn"));
        Assert.Contains("lr", await ui.Page.Locator("#params").InnerTextAsync());
        ui.AssertNoErrors();
        await ui.ScreenshotAsync(Shot("run"));
    }

    [Fact]
    public async Task RunPage_UnknownRun_IsNotFound()
    {
        var response = await server.Http.GetAsync("/runs/0123456789abcdef0123456789abcdef");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public sealed class ExperimentPagesOnSqlite(KeelServerFixture server, ChromiumFixture chromium)
    : ExperimentPagesTests(server, chromium), IClassFixture<KeelServerFixture>, IClassFixture<ChromiumFixture>;

public sealed class ExperimentPagesOnPostgres(PostgresKeelServerFixture server, ChromiumFixture chromium)
    : ExperimentPagesTests(server, chromium), IClassFixture<PostgresKeelServerFixture>, IClassFixture<ChromiumFixture>;
