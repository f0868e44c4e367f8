using Keel.Testing;
using Keel.Ui.Tests.Infrastructure;

namespace Keel.Ui.Tests;

/// <summary>The run page's artifact browser and previews, over files uploaded with the client.</summary>
public abstract class RunArtifactsTests(KeelServerFixture server, ChromiumFixture chromium) : IDisposable
{
    // A 1x1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private readonly string _directory = Directory.CreateTempSubdirectory("keel-ui-artifacts-").FullName;

    private async Task<string> SeedAsync()
    {
        var client = UiSeed.Client(server.BaseAddress);
        var run = (await UiSeed.ExperimentAsync(client, runs: 1, steps: 2)).RunIds[0];
        Directory.CreateDirectory(Path.Combine(_directory, "eval"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "eval", "predictions.csv"),
            "id,label,note\n" + string.Join('\n', Enumerable.Range(1, 30).Select(i => $"{i},{i % 2},\"a, <b>{i}</b>\"")) + "\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "notes.txt"), "trained on <flights>");
        await File.WriteAllBytesAsync(Path.Combine(_directory, "curve.png"), Png);
        await File.WriteAllBytesAsync(Path.Combine(_directory, "model.bin"), [1, 2, 3]);
        await client.UploadArtifactsAsync(run, _directory);
        await client.CreateRegisteredModelAsync("from-run-" + run[..6]);
        await client.CreateModelVersionAsync("from-run-" + run[..6], "s3://bucket/m", run);
        return run;
    }

    [Fact]
    public async Task CsvPreview_ShowsTheHeaderAndFirstTwentyRowsEscaped()
    {
        var run = await SeedAsync();

        var html = await server.Http.GetStringAsync($"/runs/{run}?path=eval&artifact=eval/predictions.csv");

        Assert.Contains("<th>id</th>", html);
        Assert.Contains("<td>a, &lt;b&gt;20&lt;/b&gt;</td>", html);
        Assert.DoesNotContain("<td>21</td>", html);
        Assert.Contains("First 20 rows.", html);
    }

    [Fact]
    public async Task TextAndImagePreviews_AreShownAndUnknownKindsOfferADownload()
    {
        var run = await SeedAsync();

        var text = await server.Http.GetStringAsync($"/runs/{run}?artifact=notes.txt");
        var image = await server.Http.GetStringAsync($"/runs/{run}?artifact=curve.png");
        var binary = await server.Http.GetStringAsync($"/runs/{run}?artifact=model.bin");

        Assert.Contains("<pre class=\"preview\" id=\"preview\">trained on &lt;flights&gt;</pre>", text);
        Assert.Matches("<img class=\"preview\" id=\"preview\" src=\"/api/2.0/mlflow-artifacts/artifacts/[0-9]+/" + run + "/artifacts/curve.png\"", image);
        Assert.Contains("No preview for this kind of file", binary);
    }

    [Fact]
    public async Task ArtifactPathThatEscapes_ShowsTheReasonAndNoFile()
    {
        var run = await SeedAsync();

        var html = await server.Http.GetStringAsync($"/runs/{run}?artifact={Uri.EscapeDataString("../../keel.db")}");

        Assert.Contains("Invalid path", html);
        Assert.DoesNotContain("id=\"preview\"", html);
    }

    [Fact]
    public async Task RunPage_InTheBrowser_ListsArtifactsAndLinksTheModelVersion()
    {
        var run = await SeedAsync();
        await using var ui = await UiPage.OpenAsync(chromium, server.BaseAddress);

        await ui.GotoAsync($"/runs/{run}");
        await ui.Page.Locator("#artifacts a", new() { HasText = "eval/" }).ClickAsync();
        await ui.Page.Locator("#artifacts a", new() { HasText = "eval/predictions.csv" }).ClickAsync();
        await ui.Page.WaitForSelectorAsync("table#preview");

        Assert.Equal(20, await ui.Page.Locator("table#preview tbody tr").CountAsync());
        Assert.Contains("from-run-", await ui.Page.Locator("#model-versions").InnerTextAsync());
        ui.AssertNoErrors();
        await ui.ScreenshotAsync($"{GetType().Name}-run-artifacts");
    }

    public void Dispose()
    {
        KeelServerFixture.TryDelete(_directory);
        GC.SuppressFinalize(this);
    }
}

public sealed class RunArtifactsOnSqlite(KeelServerFixture server, ChromiumFixture chromium)
    : RunArtifactsTests(server, chromium), IClassFixture<KeelServerFixture>, IClassFixture<ChromiumFixture>;

public sealed class RunArtifactsOnPostgres(PostgresKeelServerFixture server, ChromiumFixture chromium)
    : RunArtifactsTests(server, chromium), IClassFixture<PostgresKeelServerFixture>, IClassFixture<ChromiumFixture>;
