using static Keel.Server.Tests.Infrastructure.RegistryApi;
using static Keel.Server.Tests.Infrastructure.WebhookApi;

namespace Keel.Server.Tests;

/// <summary>The delivery cursor lives in the database: a restarted server neither repeats what was delivered nor skips what was not.</summary>
public abstract class WebhookRestartTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "keel-test-" + Guid.NewGuid().ToString("N"));

    protected abstract string[] StorageArguments { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        KeelServerFixture.TryDelete(_dataDirectory);
        return Task.CompletedTask;
    }

    private Task<KeelServerFixture> StartAsync(bool deliver) =>
        KeelServerFixture.StartAsync(_dataDirectory, [.. WebhookTestSettings.Arguments, .. StorageArguments, "--Webhooks:Enabled", deliver ? "true" : "false"]);

    [Fact]
    public async Task ARestart_NeitherRepeatsNorSkipsDeliveries()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var name = UniqueName();
        var first = await StartAsync(deliver: true);
        try
        {
            await new MlflowApi(first.Http).CreateWebhookAsync(receiver.Url, [Event("registered_model", "created"), Event("model_version", "created")]);
            await new MlflowApi(first.Http).CreateModelAsync(name);
            await receiver.WaitForAsync(name, 1);
        }
        finally
        {
            await first.DisposeAsync();
        }

        // Changes made while no server delivers wait in the change log.
        var quiet = await StartAsync(deliver: false);
        try
        {
            await new MlflowApi(quiet.Http).CreateVersionAsync(name);
            await new MlflowApi(quiet.Http).CreateVersionAsync(name);
            await Task.Delay(300);
            Assert.Single(receiver.About(name));
        }
        finally
        {
            await quiet.DisposeAsync();
        }

        var again = await StartAsync(deliver: true);
        try
        {
            await receiver.WaitForAsync(name, 3);
            await Task.Delay(400);
            var received = receiver.About(name);
            Assert.Equal(3, received.Count);
            Assert.Equal(["1", "2"], received.Where(r => (string)r.Json["entity"]! == "model_version").Select(r => (string)r.Json["data"]!["version"]!).Order());
        }
        finally
        {
            await again.DisposeAsync();
        }
    }
}

public sealed class WebhookRestartTestsOnSqlite : WebhookRestartTests
{
    protected override string[] StorageArguments => [];
}

public sealed class WebhookRestartTestsOnPostgres : WebhookRestartTests
{
    private PostgresTestDatabase? _database;

    protected override string[] StorageArguments => ["--Storage:Database", _database!.ConnectionString];

    public override async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database!.DisposeAsync();
    }
}
