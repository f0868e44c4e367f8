using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Keel.Cli.Commands;
using Keel.Client;
using Keel.Testing;

namespace Keel.Cli.Tests;

/// <summary><c>keel monitor</c> against a real server: create, run, reports, show, alerts, and the mistakes a user can make.</summary>
public abstract class MonitorCommandTests(KeelServerFixture server)
{
    private readonly string _trackingUri = server.BaseAddress.ToString();

    private static string UniqueName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "--tracking-uri", _trackingUri]);

    /// <summary>A reference with x evenly spread over [0, 1) and color cycling red/green/blue.</summary>
    private async Task<string> AddReferenceAsync()
    {
        var name = UniqueName("ref");
        var directory = Directory.CreateTempSubdirectory("keel-cli-monitor-").FullName;
        try
        {
            var csv = new StringBuilder("x,color\n");
            for (var i = 0; i < 200; i++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{(i + 0.5) / 200},{Color(i)}\n");
            }

            await File.WriteAllTextAsync(Path.Combine(directory, "ref.csv"), csv.ToString());
            using var client = new KeelClient(server.Http);
            client.Data.CacheDirectory = Path.Combine(directory, "cache");
            return (await client.Data.AddAsync(Path.Combine(directory, "ref.csv"), name)).Version.Uri;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Color(int i) => (i % 3) switch { 0 => "red", 1 => "green", _ => "blue" };

    private async Task SendAsync(string deployment, int n, double shift)
    {
        var rows = Enumerable.Range(0, n).Select(i => new
        {
            prediction_id = Guid.NewGuid().ToString(),
            model_name = "cli-model",
            model_version = 1,
            inputs = new { x = ((i + 0.5) / n) + shift, color = Color(i) },
            outputs = new { prediction = i % 2 },
            time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        });
        (await server.Http.PostAsJsonAsync($"/api/keel/v1/deployments/{deployment}/predictions", new { predictions = rows })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task CreateRunReportsShowAlerts_ReportTheShiftedFeature()
    {
        var reference = await AddReferenceAsync();
        var deployment = UniqueName("dep");
        var monitor = UniqueName("mon");
        await SendAsync(deployment, 100, 0);
        await SendAsync(deployment, 100, 0.5);

        var created = await RunAsync("monitor", "create", monitor, "--deployment", deployment, "--reference", reference, "--every", "100",
            "--column-type", "color=categorical", "--threshold", "x=0.01");
        var run = await RunAsync("monitor", "run", monitor);
        var reports = await RunAsync("monitor", "reports", monitor);
        var full = await RunAsync("monitor", "reports", monitor, "--window", "1");
        var show = await RunAsync("monitor", "show", monitor);
        var alerts = await RunAsync("monitor", "alerts", "--monitor", monitor, "--status", "open", "--json");
        var list = await RunAsync("monitor", "list", "--json");

        Assert.Equal(ExitCodes.Success, created.ExitCode);
        Assert.Contains($"Created monitor {monitor}: {deployment} against {reference}, every 100 predictions", created.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("window 1: 100 predictions", reports.Output, StringComparison.Ordinal);
        Assert.Contains("window 0: 100 predictions", reports.Output, StringComparison.Ordinal);
        var report = JsonDocument.Parse(full.Output).RootElement.GetProperty("report");
        var columns = report.GetProperty("drift").GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.True(columns["x"].GetProperty("drifted").GetBoolean());
        Assert.Equal(0.01, columns["x"].GetProperty("threshold").GetDouble());
        Assert.False(columns["color"].GetProperty("drifted").GetBoolean());
        Assert.Equal("categorical", columns["color"].GetProperty("kind").GetString());
        Assert.Contains("Latest: window 1", show.Output, StringComparison.Ordinal);
        Assert.Contains("OPEN feature_drift x since window 1", show.Output, StringComparison.Ordinal);
        Assert.Contains(JsonDocument.Parse(alerts.Output).RootElement.EnumerateArray(),
            a => a.GetProperty("rule").GetString() == "feature_drift" && a.GetProperty("subject").GetString() == "x");
        Assert.Contains(JsonDocument.Parse(list.Output).RootElement.EnumerateArray(), m => m.GetProperty("name").GetString() == monitor);
    }

    [Fact]
    public async Task Mistakes_AreOneLineErrors_WithExitCodes()
    {
        var name = UniqueName("mon");

        var badReference = await RunAsync("monitor", "create", name, "--deployment", "d", "--reference", "ref.csv", "--every", "10");
        var bothWindows = await RunAsync("monitor", "create", name, "--deployment", "d", "--reference", "training", "--every", "10", "--window", "1h");
        var badType = await RunAsync("monitor", "create", name, "--deployment", "d", "--reference", "training", "--every", "10", "--column-type", "x=text");
        var missing = await RunAsync("monitor", "show", name);
        var created = await RunAsync("monitor", "create", name, "--deployment", "d", "--reference", "training", "--every", "10");
        var duplicate = await RunAsync("monitor", "create", name, "--deployment", "d", "--reference", "training", "--every", "10");

        Assert.Equal(ExitCodes.InvalidArguments, badReference.ExitCode);
        Assert.Contains("data:/NAME@VERSION", badReference.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidArguments, bothWindows.ExitCode);
        Assert.Equal(ExitCodes.InvalidArguments, badType.ExitCode);
        Assert.Contains("--column-type", badType.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        Assert.Equal(ExitCodes.Success, created.ExitCode);
        Assert.Equal(ExitCodes.AlreadyExists, duplicate.ExitCode);
        Assert.All([badReference, bothWindows, badType, missing, duplicate], r => Assert.Single(r.Error.Trim().Split('\n')));
    }
}

public sealed class MonitorCommandTestsOnSqlite(KeelServerFixture server) : MonitorCommandTests(server), IClassFixture<KeelServerFixture>;

public sealed class MonitorCommandTestsOnPostgres(PostgresKeelServerFixture server) : MonitorCommandTests(server), IClassFixture<PostgresKeelServerFixture>;
