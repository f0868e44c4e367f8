using System.Text;
using System.Text.Json.Nodes;
using Keel.Client;
using Keel.Testing;

namespace Keel.Serving.Tests;

/// <summary>A server stopped gracefully right after answering has written every in-process prediction to the log.</summary>
public abstract class InProcessShutdownTests
{
    private const int Requests = 500;

    /// <summary>Server arguments that put the metadata on this test's backend.</summary>
    protected abstract string[] StorageArguments { get; }

    [Fact]
    public async Task GracefulShutdown_AfterNRequests_LeavesNRowsWithTheAnsweredIds()
    {
        var data = Path.Combine(Path.GetTempPath(), "keel-shutdown-" + Guid.NewGuid().ToString("N"));
        try
        {
            var server = await KeelServerFixture.StartAsync(data, StorageArguments);
            var model = await ServedTinyModel.RegisterVersionsAsync(server);
            await new KeelClient(server.Http).Deployments.CreateAsync(model, $"models:/{model}/1");
            var ids = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async _ =>
            {
                using var response = await server.Http.PostAsync($"/deployments/{model}/invocations",
                    new StringContent("""{"dataframe_records": [{"Distance": 120, "Hour": 9, "Origin": "ORD"}]}""", Encoding.UTF8, "application/json"));
                response.EnsureSuccessStatusCode();
                return response.Headers.GetValues("X-Keel-Prediction-Id").Single();
            }));
            await server.DisposeAsync();

            await using var reopened = await KeelServerFixture.StartAsync(data, StorageArguments);
            var page = JsonNode.Parse(await reopened.Http.GetStringAsync($"/api/keel/v1/predictions?model={model}&max_results=10000"))!;
            var logged = page["predictions"]?.AsArray().Select(p => (string)p!["prediction_id"]!).ToList() ?? [];
            Assert.Equal(ids.Order(StringComparer.Ordinal), logged.Order(StringComparer.Ordinal));
        }
        finally
        {
            KeelServerFixture.TryDelete(data);
        }
    }
}

public sealed class InProcessShutdownTestsOnSqlite : InProcessShutdownTests
{
    protected override string[] StorageArguments => [];
}

public sealed class InProcessShutdownTestsOnPostgres : InProcessShutdownTests, IAsyncLifetime
{
    private PostgresTestDatabase? _database;

    protected override string[] StorageArguments => ["--Storage:Database", _database!.ConnectionString];

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database!.DisposeAsync();
}
