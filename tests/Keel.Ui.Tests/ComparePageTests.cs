using System.Net;
using System.Text.Json;
using Keel.Client;
using Keel.Testing;
using Keel.Ui.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Keel.Ui.Tests;

/// <summary>Selecting runs in the table, the comparison page, and the downsampled-metric endpoint its charts read.</summary>
public abstract class ComparePageTests(KeelServerFixture server, ChromiumFixture chromium)
{
    [Fact]
    public async Task Compare_TwoRunsTickedInTheTable_OverlaysTheirCurves()
    {
        var seeded = await UiSeed.ExperimentAsync(UiSeed.Client(server.BaseAddress), runs: 3, steps: 300);
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);
        await ui.GotoAsync($"/experiments/{seeded.ExperimentId}");

        await ui.Page.Locator($"tr[data-run='{seeded.RunIds[0]}'] input[type=checkbox]").CheckAsync();
        await ui.Page.Locator($"tr[data-run='{seeded.RunIds[2]}'] input[type=checkbox]").CheckAsync();
        await ui.ClickAndWaitForUrlAsync(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Compare selected" }), "**/compare?**");
        var chart = ui.Page.Locator(".chart[data-key='loss']");
        await ui.Page.WaitForSelectorAsync(".chart[data-key='loss'][data-drawn] canvas");

        Assert.Contains($"runs={seeded.RunIds[0]}", ui.Page.Url);
        Assert.Contains($"runs={seeded.RunIds[2]}", ui.Page.Url);
        // Two runs of 300 points each, both drawn.
        Assert.Equal("600", await chart.GetAttributeAsync("data-drawn"));
        Assert.Equal(2, await ui.Page.Locator("#parallel polyline").CountAsync());
        Assert.Equal(2, await ui.Page.Locator("#diff thead th a").CountAsync());
        ui.AssertNoErrors();
        await ui.ScreenshotAsync($"{GetType().Name}-compare");
    }

    [Fact]
    public async Task Compare_ChartOptions_AreKeptInTheUrlAndApplied()
    {
        var seeded = await UiSeed.ExperimentAsync(UiSeed.Client(server.BaseAddress), runs: 2, steps: 20);
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);
        await ui.GotoAsync($"/compare?runs={seeded.RunIds[0]}&runs={seeded.RunIds[1]}");

        await ui.Page.GetByLabel("x axis").SelectOptionAsync("time");
        await ui.Page.GetByLabel("log scale").CheckAsync();
        await ui.Page.GetByLabel("smoothing").FillAsync("0.5");
        await ui.ClickAndWaitForUrlAsync(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }), "**log=1**");
        await ui.Page.WaitForSelectorAsync(".chart[data-key='loss'][data-drawn] canvas");

        var chart = ui.Page.Locator(".chart[data-key='loss']");
        Assert.Equal("time", await chart.GetAttributeAsync("data-x"));
        Assert.Equal("1", await chart.GetAttributeAsync("data-log"));
        Assert.Equal("0.5", await chart.GetAttributeAsync("data-smooth"));
        Assert.Contains("x=time", ui.Page.Url);
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task Compare_DiffTable_HighlightsOnlyRowsThatDiffer()
    {
        var client = UiSeed.Client(server.BaseAddress);
        var seeded = await UiSeed.ExperimentAsync(client, runs: 4);

        // Runs 0 and 3 share depth 0 and differ in lr.
        var html = await server.Http.GetStringAsync($"/compare?runs={seeded.RunIds[0]}&runs={seeded.RunIds[3]}");

        Assert.Contains("<tr class=\"differs\"><th>params.lr</th>", html);
        Assert.Contains("<tr><th>params.depth</th>", html);
    }

    [Fact]
    public async Task Compare_UnknownRun_SaysWhichOne()
    {
        var html = await server.Http.GetStringAsync("/compare?runs=0123456789abcdef0123456789abcdef");

        Assert.Contains("No such run: 0123456789abcdef0123456789abcdef", html);
    }

    [Fact]
    public async Task Downsampled_LongHistory_ReturnsAtMostNPointsWithTheEnds()
    {
        var seeded = await UiSeed.ExperimentAsync(UiSeed.Client(server.BaseAddress), runs: 1, steps: 5000);

        using var json = JsonDocument.Parse(await server.Http.GetStringAsync(
            $"/api/keel/v1/runs/{seeded.RunIds[0]}/metrics/downsampled?key=loss&points=100"));

        var xs = json.RootElement.GetProperty("xs").EnumerateArray().Select(e => e.GetDouble()).ToList();
        Assert.Equal(5000, json.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(100, xs.Count);
        Assert.Equal(0, xs[0]);
        Assert.Equal(4999, xs[^1]);
    }

    [Fact]
    public async Task Downsampled_TimeAxis_IsInTimeOrderWithNonFiniteValuesLeftOut()
    {
        var client = UiSeed.Client(server.BaseAddress);
        var seeded = await UiSeed.ExperimentAsync(client, runs: 1, steps: 1);
        // Steps 0..2 logged at times 300, 100, 200, and a NaN that a chart cannot draw.
        await client.LogBatchAsync(seeded.RunIds[0],
            [new("t", 1, 300, 0), new("t", 2, 100, 1), new("t", 3, 200, 2), new("t", double.NaN, 400, 3)]);

        using var json = JsonDocument.Parse(await server.Http.GetStringAsync(
            $"/api/keel/v1/runs/{seeded.RunIds[0]}/metrics/downsampled?key=t&x=time"));

        Assert.Equal([100.0, 200, 300], json.RootElement.GetProperty("xs").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal([2.0, 3, 1], json.RootElement.GetProperty("ys").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(3, json.RootElement.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("?key=loss&points=1", HttpStatusCode.BadRequest)]
    [InlineData("?key=loss&points=many", HttpStatusCode.BadRequest)]
    [InlineData("?key=loss&x=epoch", HttpStatusCode.BadRequest)]
    [InlineData("?points=10", HttpStatusCode.BadRequest)]
    public async Task Downsampled_BadQuery_IsProblemDetails(string query, HttpStatusCode status)
    {
        var seeded = await UiSeed.ExperimentAsync(UiSeed.Client(server.BaseAddress), runs: 1, steps: 2);

        var response = await server.Http.GetAsync($"/api/keel/v1/runs/{seeded.RunIds[0]}/metrics/downsampled{query}");

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("INVALID_PARAMETER_VALUE", json.RootElement.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Downsampled_UnknownRun_IsNotFound()
    {
        var response = await server.Http.GetAsync("/api/keel/v1/runs/0123456789abcdef0123456789abcdef/metrics/downsampled?key=loss");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("RESOURCE_DOES_NOT_EXIST", await response.Content.ReadAsStringAsync());
    }
}

public sealed class ComparePageOnSqlite(KeelServerFixture server, ChromiumFixture chromium)
    : ComparePageTests(server, chromium), IClassFixture<KeelServerFixture>, IClassFixture<ChromiumFixture>;

public sealed class ComparePageOnPostgres(PostgresKeelServerFixture server, ChromiumFixture chromium)
    : ComparePageTests(server, chromium), IClassFixture<PostgresKeelServerFixture>, IClassFixture<ChromiumFixture>;
