using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Keel.Testing;
using Keel.Ui.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Keel.Ui.Tests;

/// <summary>
/// The monitoring pages over a monitor seeded through the real API: four count windows of which the second and the
/// fourth have x shifted, labels on every window, and the alerts the shifts open and the third window resolves.
/// </summary>
public abstract class MonitoringPagesTests(KeelServerFixture server, ChromiumFixture chromium)
{
    private readonly MonitoringApi _api = new(server.Http);

    private string Shot(string page) => $"{GetType().Name}-{page}";

    private sealed record Seeded(string Deployment, string Monitor);

    /// <summary>Windows 0 and 2 as the reference, windows 1 and 3 with x shifted by 0.5; every prediction labelled.</summary>
    private async Task<Seeded> SeedAsync()
    {
        var reference = await _api.AddReferenceAsync();
        var deployment = MonitoringApi.Unique("dep");
        var monitor = MonitoringApi.Unique("mon");
        await _api.CreateMonitorAsync(new { name = monitor, deployment, reference, every = 200 });
        foreach (var shift in new[] { 0, 0.5, 0, 0.5 })
        {
            var ids = await _api.SendPredictionsAsync(deployment, 200, shift);
            // The model predicts x > 0.5 and the truth is x > 0.4: accuracy 0.9 on the reference's x, 1 on the shifted x.
            await _api.FeedbackAsync(deployment, ids.Select((id, i) => new { prediction_id = id, label = MonitoringApi.Row(i, 200, shift).X > 0.4 ? 1 : 0 }).ToArray());
        }

        await _api.EvaluateAsync(monitor);
        return new Seeded(deployment, monitor);
    }

    [Fact]
    public async Task MonitorPage_ShiftedWindow_FlagsTheDriftedFeatureAndDrawsTheCharts()
    {
        var seeded = await SeedAsync();
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);

        await ui.GotoAsync("/monitors");
        var row = ui.Page.Locator($"#monitors tr[data-monitor='{seeded.Monitor}']");
        Assert.Contains("drift in x", await row.InnerTextAsync());
        await ui.ScreenshotAsync(Shot("monitors"));
        await ui.ClickAndWaitForUrlAsync(row.GetByRole(AriaRole.Link, new() { Name = seeded.Monitor, Exact = true }), $"**/monitors/{seeded.Monitor}");
        await ui.Page.WaitForSelectorAsync("#drift-chart[data-drawn]");

        foreach (var feature in new[] { "x", "y", "color" })
        {
            for (var window = 0; window < 4; window++)
            {
                var drifted = feature == "x" && window % 2 == 1 ? "true" : "false";
                Assert.Equal(drifted, await ui.Page.Locator($"#verdicts tr[data-feature='{feature}'] td[data-window='{window}']").GetAttributeAsync("data-drifted"));
            }
        }

        // Three features and one threshold line (KS and chi-square both at p < 0.05) over four windows.
        Assert.Equal("16", await ui.Page.Locator("#drift-chart").GetAttributeAsync("data-drawn"));
        Assert.Equal(1, await ui.Page.Locator("#drift-chart canvas").CountAsync());
        Assert.Equal("8", await ui.Page.Locator("#performance-chart").GetAttributeAsync("data-drawn"));
        Assert.Contains("Window 3 (latest)", await ui.Page.Locator("#report").InnerTextAsync());
        Assert.Contains("accuracy 1", await ui.Page.Locator("#report-summary").InnerTextAsync());
        Assert.Equal(3, await ui.Page.Locator("#report-columns svg").CountAsync());
        Assert.Contains("feature_drift", await ui.Page.Locator("#alerts").InnerTextAsync());
        ui.AssertNoErrors();
        await ui.ScreenshotAsync(Shot("monitor"));

        await ui.ClickAndWaitForUrlAsync(ui.Page.Locator("#verdicts thead").GetByRole(AriaRole.Link, new() { Name = "2", Exact = true }), $"**/monitors/{seeded.Monitor}?window=2");
        Assert.Contains("no drift", await ui.Page.Locator("#report-drift").InnerTextAsync());
        Assert.Contains("accuracy 0.9", await ui.Page.Locator("#report-summary").InnerTextAsync());
        Assert.Equal("verdict ok", await ui.Page.Locator("#report-columns tr[data-feature='x'] td.verdict").GetAttributeAsync("class"));
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task AlertsPage_FilteredByClicking_ShowsOnlyMatchingAlertsAndKeepsTheFilterInTheUrl()
    {
        var first = await SeedAsync();
        var second = await SeedAsync();
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);

        await ui.GotoAsync("/alerts");
        Assert.True(await ui.Page.Locator($"#alerts tr[data-deployment='{second.Deployment}']").CountAsync() > 0);
        await ui.Page.Locator("#alert-filter select[name=deployment]").SelectOptionAsync(first.Deployment);
        await ui.Page.Locator("#alert-filter select[name=rule]").SelectOptionAsync("feature_drift");
        await ui.ClickAndWaitForUrlAsync(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Filter" }), $"**/alerts?status=open&deployment={first.Deployment}&rule=feature_drift");

        var rows = ui.Page.Locator("#alerts tbody tr");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal((first.Deployment, "feature_drift", "OPEN"), (
            await rows.GetAttributeAsync("data-deployment"), await rows.GetAttributeAsync("data-rule"), await rows.GetAttributeAsync("data-status")));
        Assert.Contains("x", await rows.Locator("td").Nth(4).InnerTextAsync());
        ui.AssertNoErrors();
        await ui.ScreenshotAsync(Shot("alerts"));

        // Window 2 went back to the reference and resolved the alert window 1 opened; window 3 opened a new one.
        await ui.ClickAndWaitForUrlAsync(ui.Page.Locator("#status-filter a[data-status=resolved]"), new Regex("status=resolved"));
        Assert.Equal(first.Deployment, await ui.Page.Locator("#alert-filter select[name=deployment]").InputValueAsync());
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal(("RESOLVED", "feature_drift"), (await rows.GetAttributeAsync("data-status"), await rows.GetAttributeAsync("data-rule")));
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task MonitorPage_BeforeItsFirstWindowAndForAnUnknownName_SaysSoWithoutErrors()
    {
        var monitor = MonitoringApi.Unique("mon");
        await _api.CreateMonitorAsync(new { name = monitor, deployment = MonitoringApi.Unique("dep"), reference = await _api.AddReferenceAsync(), every = 100 });
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);

        await ui.GotoAsync($"/monitors/{monitor}");
        Assert.Contains("No window evaluated yet.", await ui.Page.Locator("main").InnerTextAsync());
        Assert.Equal(0, await ui.Page.Locator("[data-inline-chart]").CountAsync());
        await ui.GotoAsync($"/monitors/{monitor}?window=7");
        Assert.Contains($"Monitor '{monitor}' has no report for window 7.", await ui.Page.Locator("[role=alert]").InnerTextAsync());
        ui.AssertNoErrors();

        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/monitors/" + MonitoringApi.Unique("missing"))).StatusCode);
    }

    [Fact]
    public async Task Overview_DeploymentRow_ShowsDriftPerformanceAndOpenAlerts()
    {
        var seeded = await SeedAsync();
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);

        await ui.GotoAsync("/");
        var row = ui.Page.Locator("#overview-deployments tr", new() { Has = ui.Page.GetByRole(AriaRole.Link, new() { Name = seeded.Deployment, Exact = true }) });
        Assert.Contains("drift in x", await row.Locator("td.monitor-drift").InnerTextAsync());
        Assert.Contains("accuracy 1", await row.Locator("td.monitor-performance").InnerTextAsync());
        // feature_drift of x and data_quality (shifted x values above the reference's maximum), opened by window 3.
        var open = (await _api.AlertsAsync(seeded.Monitor, "OPEN")).Count;
        Assert.Equal(2, open);
        Assert.Equal(open.ToString(CultureInfo.InvariantCulture), (await row.Locator("td.monitor-alerts").InnerTextAsync()).Trim());
        ui.AssertNoErrors();
        await ui.ScreenshotAsync(Shot("overview"));

        await row.GetByRole(AriaRole.Link, new() { Name = seeded.Deployment, Exact = true }).ClickAsync();
        await ui.ClickAndWaitForUrlAsync(ui.Page.Locator("#deployment-monitors").GetByRole(AriaRole.Link, new() { Name = seeded.Monitor }), $"**/monitors/{seeded.Monitor}");
        ui.AssertNoErrors();
    }
}

public sealed class MonitoringPagesOnSqlite(MonitoringServerFixture server, ChromiumFixture chromium)
    : MonitoringPagesTests(server, chromium), IClassFixture<MonitoringServerFixture>, IClassFixture<ChromiumFixture>;

public sealed class MonitoringPagesOnPostgres(PostgresMonitoringServerFixture server, ChromiumFixture chromium)
    : MonitoringPagesTests(server, chromium), IClassFixture<PostgresMonitoringServerFixture>, IClassFixture<ChromiumFixture>;
