using System.Net;
using Keel.Testing;
using Keel.Ui.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Keel.Ui.Tests;

/// <summary>Datasets, their versions with profiles and lineage, and the diff between two versions, added through the real data client.</summary>
public abstract class DataPagesTests(KeelServerFixture server, ChromiumFixture chromium) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("keel-ui-data-").FullName;

    private async Task<(string Name, string RunId)> SeedAsync()
    {
        var client = UiSeed.Client(server.BaseAddress);
        var name = "flights-" + Guid.NewGuid().ToString("N")[..8];
        await File.WriteAllTextAsync(Path.Combine(_directory, "train.csv"), "delay,origin\n5,SEA\n20,SFO\n7,SEA\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "README.txt"), "flights sample");
        await client.Data.AddAsync(_directory, name, "first");
        await File.WriteAllTextAsync(Path.Combine(_directory, "train.csv"), "delay,origin\n5,SEA\n20,SFO\n7,SEA\n90,JFK\n");
        File.Delete(Path.Combine(_directory, "README.txt"));
        await client.Data.AddAsync(_directory, name, "more rows");
        var experiment = await UiSeed.ExperimentAsync(client, runs: 1, steps: 2);
        await client.Data.LogInputAsync(experiment.RunIds[0], $"{name}@2", "training");
        return (name, experiment.RunIds[0]);
    }

    [Fact]
    public async Task Data_FromRunInputToVersionAndDiff_ShowsProfilesAndChanges()
    {
        var (name, runId) = await SeedAsync();
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);

        await ui.GotoAsync($"/runs/{runId}");
        await ui.ClickAndWaitForUrlAsync(ui.Page.GetByRole(AriaRole.Link, new() { Name = $"data:/{name}@2" }), $"**/data/{name}/versions/2");
        Assert.Contains("4 rows", await ui.Page.Locator("h3").First.InnerTextAsync());
        Assert.Contains("run-000", await ui.Page.Locator("#data-lineage").InnerTextAsync());
        await ui.ScreenshotAsync($"{GetType().Name}-data-version");
        await ui.ClickAndWaitForUrlAsync(ui.Page.GetByRole(AriaRole.Link, new() { Name = "Diff with version 1" }), $"**/data/{name}/diff?a=1&b=2");

        var files = await ui.Page.Locator("#file-diff tbody tr").AllInnerTextsAsync();
        Assert.Contains(files, f => f.Contains("README.txt") && f.Contains("removed"));
        Assert.Contains(files, f => f.Contains("train.csv") && f.Contains("changed"));
        Assert.Contains(await ui.Page.Locator("#profile-diff tr.differs").AllInnerTextsAsync(), r => r.Contains("rows") && r.Contains('3') && r.Contains('4'));
        ui.AssertNoErrors();
        await ui.GotoAsync("/data");
        Assert.Contains(name, await ui.Page.Locator("#datasets").InnerTextAsync());
        await ui.ScreenshotAsync($"{GetType().Name}-data");
    }

    [Theory]
    [InlineData("/data/no-such-dataset")]
    [InlineData("/data/no-such-dataset/versions/1")]
    [InlineData("/data/no-such-dataset/diff?a=1&b=2")]
    public async Task UnknownDataset_IsNotFound(string path)
    {
        var response = await server.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    public void Dispose()
    {
        KeelServerFixture.TryDelete(_directory);
        GC.SuppressFinalize(this);
    }
}

public sealed class DataPagesOnSqlite(KeelServerFixture server, ChromiumFixture chromium)
    : DataPagesTests(server, chromium), IClassFixture<KeelServerFixture>, IClassFixture<ChromiumFixture>;

public sealed class DataPagesOnPostgres(PostgresKeelServerFixture server, ChromiumFixture chromium)
    : DataPagesTests(server, chromium), IClassFixture<PostgresKeelServerFixture>, IClassFixture<ChromiumFixture>;
