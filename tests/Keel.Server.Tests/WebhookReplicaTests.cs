using static Keel.Server.Tests.Infrastructure.RegistryApi;
using static Keel.Server.Tests.Infrastructure.WebhookApi;

namespace Keel.Server.Tests;

/// <summary>Two delivering servers on one PostgreSQL database, as two replicas behind a load balancer.</summary>
public sealed class WebhookReplicaFixture : IAsyncLifetime
{
    private PostgresTestDatabase? _database;

    public KeelServerFixture A { get; private set; } = null!;

    public KeelServerFixture B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        string[] arguments = [.. WebhookTestSettings.Arguments, "--Storage:Database", _database.ConnectionString];
        var a = Path.Combine(Path.GetTempPath(), "keel-test-" + Guid.NewGuid().ToString("N"));
        var b = Path.Combine(Path.GetTempPath(), "keel-test-" + Guid.NewGuid().ToString("N"));
        var started = await Task.WhenAll(KeelServerFixture.StartAsync(a, arguments), KeelServerFixture.StartAsync(b, arguments));
        (A, B) = (started[0], started[1]);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { A, B })
        {
            await server.DisposeAsync();
            KeelServerFixture.TryDelete(server.DataDirectory);
        }

        await _database!.DisposeAsync();
    }
}

public sealed class WebhookReplicaTests(WebhookReplicaFixture replicas) : IClassFixture<WebhookReplicaFixture>
{
    [Fact]
    public async Task ChangesMadeOnBothReplicasAtOnce_AreEachDeliveredOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (a, b) = (new MlflowApi(replicas.A.Http), new MlflowApi(replicas.B.Http));
        var hook = await a.CreateWebhookAsync(receiver.Url,
            [Event("registered_model", "created"), Event("model_version", "created"), Event("model_version_tag", "set")], secret: "s");
        var names = Enumerable.Range(0, 4).Select(_ => UniqueName("replicas")).ToList();
        const int versionsPerModel = 6;

        // Every model gets versions and tags from both replicas concurrently, so event ids are taken by
        // transactions of both replicas at once while both replicas fan out and deliver.
        await Task.WhenAll(names.Select(async (name, i) =>
        {
            await (i % 2 == 0 ? a : b).CreateModelAsync(name);
            await Task.WhenAll(Enumerable.Range(0, versionsPerModel).Select(async v =>
            {
                var api = v % 2 == 0 ? a : b;
                var version = (string)(await api.CreateVersionAsync(name))["version"]!;
                (await (v % 2 == 0 ? b : a).PostAsync("/model-versions/set-tag", new { name, version, key = "k", value = "v" })).Ok();
            }));
        }));

        const int perModel = 1 + (2 * versionsPerModel);
        foreach (var name in names)
        {
            await receiver.WaitForAsync(name, perModel, timeoutSeconds: 30);
        }

        await Task.Delay(600);
        var received = receiver.Received.ToList();
        Assert.Equal(names.Count * perModel, received.Count);
        Assert.Equal(received.Count, received.Select(r => r.Header("X-MLflow-Delivery-Id")).Distinct().Count());
        Assert.Equal(received.Count, received.Select(r => r.Body).Distinct().Count());
        Assert.All(received, r => Assert.True(r.SignatureIsValid("s")));
        foreach (var name in names)
        {
            var versions = receiver.About(name).Where(r => (string)r.Json["entity"]! == "model_version").Select(r => (string)r.Json["data"]!["version"]!);
            Assert.Equal(Enumerable.Range(1, versionsPerModel), versions.Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).Order());
        }

        var log = await DeliveriesAsync(replicas.B.Http, (string)hook["webhook_id"]!);
        Assert.Equal(received.Count, log.Count);
        Assert.All(log, attempt => Assert.Equal(1, (long)attempt!["attempt"]!));
    }
}
