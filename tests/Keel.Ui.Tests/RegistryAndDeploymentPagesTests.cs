using System.Net.Http.Json;
using System.Net;
using Keel.Testing;
using Keel.Ui.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Keel.Ui.Tests;

/// <summary>Models, versions (card, lineage, diff), deployments with their revisions and rollback, and the overview.</summary>
public abstract class RegistryAndDeploymentPagesTests(KeelServerFixture server, ChromiumFixture chromium)
{
    private string Shot(string page) => $"{GetType().Name}-{page}";

    [Fact]
    public async Task Models_FromTheListToAVersion_ShowCardLineageAndDeployments()
    {
        var seeded = await UiSeed.ModelAsync(UiSeed.Client(server.BaseAddress));
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);

        await ui.GotoAsync("/models");
        await ui.ScreenshotAsync(Shot("models"));
        await ui.ClickAndWaitForUrlAsync(ui.Page.GetByRole(AriaRole.Link, new() { Name = seeded.Name, Exact = true }), $"**/models/{seeded.Name}");
        Assert.Contains("@champion", await ui.Page.Locator("#aliases").InnerTextAsync());
        await ui.ScreenshotAsync(Shot("model"));
        await ui.ClickAndWaitForUrlAsync(ui.Page.GetByRole(AriaRole.Link, new() { Name = "version 1", Exact = true }).First, $"**/models/{seeded.Name}/versions/1");

        var lineage = await ui.Page.Locator("#lineage").InnerTextAsync();
        Assert.Contains("run-000", lineage);
        Assert.Contains(seeded.Deployment, lineage);
        Assert.Contains("primary", lineage);
        Assert.Contains("canary 25%", lineage);
        Assert.Contains("Production", await ui.Page.Locator("#history").InnerTextAsync());
        ui.AssertNoErrors();
        await ui.ScreenshotAsync(Shot("version"));
    }

    [Fact]
    public async Task VersionDiff_HighlightsWhatChangedBetweenVersions()
    {
        var seeded = await UiSeed.ModelAsync(UiSeed.Client(server.BaseAddress));

        var html = await server.Http.GetStringAsync($"/models/{seeded.Name}/diff?a=1&b=2");

        Assert.Contains("<tr class=\"differs\"><td class=\"muted\">params</td><th>lr</th><td>0</td><td>0.01</td></tr>", html);
        Assert.Contains("<tr class=\"differs\"><td class=\"muted\">version</td><th>description</th><td></td><td>deeper trees</td></tr>", html);
        Assert.Contains("<tr class=\"differs\"><td class=\"muted\">version</td><th>source</th>", html);
        Assert.Contains("<tr><td class=\"muted\">version</td><th>intended use</th>", html);
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);
        await ui.GotoAsync($"/models/{seeded.Name}/versions/2");
        await ui.ClickAndWaitForUrlAsync(ui.Page.GetByRole(AriaRole.Link, new() { Name = "Diff with version 1" }), $"**/models/{seeded.Name}/diff?a=1&b=2");
        Assert.True(await ui.Page.Locator("#version-diff tr.differs").CountAsync() >= 4);
        ui.AssertNoErrors();
        await ui.ScreenshotAsync(Shot("version-diff"));
    }

    [Fact]
    public async Task Deployment_RollBackClickedAndConfirmed_ServesTheOldRevisionAgain()
    {
        var client = UiSeed.Client(server.BaseAddress);
        var seeded = await UiSeed.ModelAsync(client);
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);
        await ui.GotoAsync("/deployments");
        await ui.ClickAndWaitForUrlAsync(ui.Page.GetByRole(AriaRole.Link, new() { Name = seeded.Deployment }), $"**/deployments/{seeded.Deployment}");
        await ui.ScreenshotAsync(Shot("deployment"));

        string? asked = null;
        ui.Page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await dialog.AcceptAsync();
        };
        await ui.ClickAndWaitForUrlAsync(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Roll back to 1" }), "**rolled_back_to=1");

        Assert.Contains("revision 1", asked);
        Assert.Contains("revision 3 now serves", await ui.Page.Locator("#rollback-result").InnerTextAsync());
        var latest = (await client.Deployments.GetAsync(seeded.Deployment)).Latest;
        Assert.Equal(3, latest.Revision);
        // A rollback pins the version revision 1 served (champion was version 2), so a later alias move cannot undo it.
        Assert.Equal($"models:/{seeded.Name}/2", latest.Model);
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task Deployment_RollBackDismissed_ChangesNothing()
    {
        var client = UiSeed.Client(server.BaseAddress);
        var seeded = await UiSeed.ModelAsync(client);
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);
        await ui.GotoAsync($"/deployments/{seeded.Deployment}");

        ui.Page.Dialog += async (_, dialog) => await dialog.DismissAsync();
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Roll back to 1" }).ClickAsync();
        await ui.Page.WaitForTimeoutAsync(300);

        Assert.Equal(2, (await client.Deployments.GetAsync(seeded.Deployment)).Latest.Revision);
        Assert.DoesNotContain("rolled_back_to", ui.Page.Url);
    }

    [Fact]
    public async Task Deployment_RollbackPostWithoutAntiforgeryToken_IsRefusedAndChangesNothing()
    {
        var client = UiSeed.Client(server.BaseAddress);
        var seeded = await UiSeed.ModelAsync(client);

        var response = await server.Http.PostAsync(
            $"/deployments/{seeded.Deployment}?handler=Rollback", new FormUrlEncodedContent([new("to", "1")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(2, (await client.Deployments.GetAsync(seeded.Deployment)).Latest.Revision);
    }

    [Fact]
    public async Task Overview_ShowsEachDeploymentsVersionsTrafficAndRecentRuns()
    {
        var seeded = await UiSeed.ModelAsync(UiSeed.Client(server.BaseAddress));
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);

        await ui.GotoAsync("/");

        var rows = await ui.Page.Locator("#overview-deployments tbody tr").Filter(new() { HasText = seeded.Deployment }).AllInnerTextsAsync();
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.Contains("primary") && r.Contains("v1") && r.Contains("75%"));
        Assert.Contains(rows, r => r.Contains("canary") && r.Contains("v1") && r.Contains("25%"));
        Assert.Contains("run-001", await ui.Page.Locator("#recent-runs").InnerTextAsync());
        ui.AssertNoErrors();
        await ui.ScreenshotAsync(Shot("overview"));
    }

    [Fact]
    public async Task Deployment_ShowsTheLastHoursTrafficPerVersion_AndTheOverviewItsRequestsAndFailures()
    {
        var seeded = await UiSeed.ModelAsync(UiSeed.Client(server.BaseAddress));
        var minute = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000;
        long[] Buckets(long fast, long slow) => [0, 0, fast, 0, 0, 0, slow, 0, 0, 0, 0, 0];
        // What hosts following the deployment post: version 1 over two minutes, 4 failures in the latest.
        using var posted = await server.Http.PostAsJsonAsync($"/api/keel/v1/deployments/{seeded.Deployment}/traffic", new
        {
            minutes = new object[]
            {
                new { minute = minute - 60_000, model_name = seeded.Name, model_version = 1, requests = 90, errors = 0, latency_buckets = Buckets(90, 0) },
                new { minute, model_name = seeded.Name, model_version = 1, requests = 96, errors = 4, latency_buckets = Buckets(86, 10) },
            },
        });
        posted.EnsureSuccessStatusCode();
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);

        await ui.GotoAsync($"/deployments/{seeded.Deployment}");

        Assert.Equal("186 answered, 4 failed (2.1%), p95 latency 26.75 ms", Normalize(await ui.Page.Locator("#traffic-summary").InnerTextAsync()));
        foreach (var chart in new[] { "traffic-requests", "traffic-latency", "traffic-errors" })
        {
            await ui.Page.WaitForSelectorAsync($"#{chart}[data-drawn] canvas");
        }

        // 60 minutes each; latency only where requests were answered.
        Assert.Equal("60", await ui.Page.Locator("#traffic-requests").GetAttributeAsync("data-drawn"));
        Assert.Equal("2", await ui.Page.Locator("#traffic-latency").GetAttributeAsync("data-drawn"));
        ui.AssertNoErrors();
        await ui.ScreenshotAsync(Shot("deployment-traffic"));

        await ui.GotoAsync("/");
        var primary = await ui.Page.Locator("#overview-deployments tbody tr").Filter(new() { HasText = seeded.Deployment }).First.InnerTextAsync();
        Assert.Contains("186", primary);
        Assert.Contains("2.1%", primary);
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));

    [Theory]
    [InlineData("/models/no-such-model")]
    [InlineData("/models/no-such-model/versions/1")]
    [InlineData("/deployments/no-such-deployment")]
    [InlineData("/experiments/999999")]
    public async Task UnknownObject_IsNotFound(string path)
    {
        var response = await server.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public sealed class RegistryAndDeploymentPagesOnSqlite(KeelServerFixture server, ChromiumFixture chromium)
    : RegistryAndDeploymentPagesTests(server, chromium), IClassFixture<KeelServerFixture>, IClassFixture<ChromiumFixture>;

public sealed class RegistryAndDeploymentPagesOnPostgres(PostgresKeelServerFixture server, ChromiumFixture chromium)
    : RegistryAndDeploymentPagesTests(server, chromium), IClassFixture<PostgresKeelServerFixture>, IClassFixture<ChromiumFixture>;
