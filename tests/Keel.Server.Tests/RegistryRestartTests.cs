using static Keel.Server.Tests.Infrastructure.RegistryApi;

namespace Keel.Server.Tests;

public abstract class RegistryRestartTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "keel-registry-restart-" + Guid.NewGuid().ToString("N"));

    /// <summary>Server arguments that choose the metadata database.</summary>
    protected abstract string[] Backend { get; }

    [Fact]
    public async Task Registry_SurvivesARestart_OnTheSameDataDirectory()
    {
        var name = UniqueName();
        await using (var first = await KeelServerFixture.StartAsync(_data, Backend))
        {
            var api = new MlflowApi(first.Http);
            await api.CreateModelAsync(name, new { name, tags = new[] { new { key = "k", value = "v" } } });
            await api.CreateVersionAsync(name);
            await api.CreateVersionAsync(name);
            (await api.PostAsync("/registered-models/alias", new { name, alias = "champion", version = "2" })).Ok();
            (await api.PostAsync("/model-versions/transition-stage", new { name, version = "1", stage = "Production", archive_existing_versions = false })).Ok();
        }

        await using var second = await KeelServerFixture.StartAsync(_data, Backend);
        var again = new MlflowApi(second.Http);
        var model = await again.GetModelAsync(name);
        Assert.Equal("v", (string)model["tags"]![0]!["value"]!);
        Assert.Equal("2", (string)model["aliases"]![0]!["version"]!);
        Assert.Equal("Production", (string)(await again.GetVersionAsync(name, "1"))["current_stage"]!);
        // The version counter survived too: the next version is 3, not a reused number.
        Assert.Equal("3", (string)(await again.CreateVersionAsync(name))["version"]!);
        Assert.Equal(6, (await EventsAsync(second.Http, name)).Count);
    }

    [Fact]
    public async Task TwoServerProcesses_OnOneDatabase_NeverHandOutTheSameVersion()
    {
        var name = UniqueName();
        await using var a = await ServerProcess.StartAsync(_data, Backend);
        await using var b = await ServerProcess.StartAsync(_data, Backend);
        using var httpA = new HttpClient { BaseAddress = a.BaseAddress };
        using var httpB = new HttpClient { BaseAddress = b.BaseAddress };
        var (apiA, apiB) = (new MlflowApi(httpA), new MlflowApi(httpB));
        await apiA.CreateModelAsync(name);

        var versions = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
            (string)(await (i % 2 == 0 ? apiA : apiB).CreateVersionAsync(name))["version"]!)));

        Assert.Equal(Enumerable.Range(1, 40).Select(i => i.ToString()).Order(), versions.Order());
    }

    public void Dispose()
    {
        KeelServerFixture.TryDelete(_data);
        GC.SuppressFinalize(this);
    }
}

public sealed class RegistryRestartTestsOnSqlite : RegistryRestartTests
{
    protected override string[] Backend => [];
}

public sealed class RegistryRestartTestsOnPostgres(PostgresBackend postgres) : RegistryRestartTests, IClassFixture<PostgresBackend>
{
    protected override string[] Backend => postgres.Arguments;
}
