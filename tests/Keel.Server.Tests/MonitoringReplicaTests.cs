namespace Keel.Server.Tests;

/// <summary>Two server replicas on one PostgreSQL database (and one artifact directory) evaluating one monitor at once.</summary>
public sealed class MonitoringReplicaTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "keel-monitor-replicas-" + Guid.NewGuid().ToString("N"));
    private PostgresTestDatabase? _database;
    private KeelServerFixture? _a;
    private KeelServerFixture? _b;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        string[] arguments = ["--Storage:Database", _database.ConnectionString, "--Monitoring:Enabled", "false"];
        _a = await KeelServerFixture.StartAsync(_directory, arguments);
        _b = await KeelServerFixture.StartAsync(_directory, arguments);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { _a, _b })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        KeelServerFixture.TryDelete(_directory);
    }

    [Fact]
    public async Task TwoReplicas_NeverComputeOneWindowTwice()
    {
        var a = new MonitoringApi(_a!.Http);
        var b = new MonitoringApi(_b!.Http);
        var reference = await a.AddReferenceAsync();
        var deployment = MonitoringApi.Unique("dep");
        var monitor = MonitoringApi.Unique("mon");
        await a.CreateMonitorAsync(new { name = monitor, deployment, reference, every = 20 });
        await a.SendPredictionsAsync(deployment, 300, shift: 0);

        var rounds = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).EvaluateAsync(monitor)));

        // A round that found every window already claimed computed none, and an empty list is left out of the answer.
        var computed = rounds.SelectMany(r => r["computed_windows"]?.AsArray().Select(w => (long)w!) ?? []).ToList();
        Assert.Equal(Enumerable.Range(0, 15).Select(i => (long)i), computed.Order());
        Assert.Equal(300, (await b.ReportAsync(monitor, 14))["range_end"]!.GetValue<long>() - (await a.ReportAsync(monitor, 0))["range_start"]!.GetValue<long>());
    }
}
