using System.Diagnostics;

namespace Keel.Server.Tests;

/// <summary>
/// A real third-party client: the npm `mlflow` package (installed by ./test into tests/compat/npm)
/// drives create → log → search → history → update against a live server on loopback.
/// </summary>
public abstract class NpmMlflowClientTests(KeelServerFixture server)
{
    [Fact]
    public async Task NpmClient_RunsTheTrackingFlow()
    {
        var script = Path.Combine(RepositoryRoot.Path, "tests", "compat", "npm", "flow.mjs");
        var start = new ProcessStartInfo("node", [script, server.BaseAddress.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync(timeout.Token);

        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}: {await stderr}\n{await stdout}");
        var result = JsonNode.Parse(await stdout)!;
        var runId = (string)result["run_id"]!;

        var run = await new MlflowApi(server.Http).GetRunAsync(runId);
        Assert.Equal("FINISHED", (string)run["info"]!["status"]!);
        Assert.Equal("node", (string)run["info"]!["user_id"]!);
        var parameters = run["data"]!["params"]!.AsArray().ToDictionary(p => (string)p!["key"]!, p => (string)p!["value"]!);
        Assert.Equal("0.01", parameters["lr"]);
        Assert.Equal("3", parameters["layers"]);
        var metrics = run["data"]!["metrics"]!.AsArray().ToDictionary(m => (string)m!["key"]!, m => (double)m!["value"]!);
        Assert.Equal(0.95, metrics["acc"], 12);
        Assert.Equal(0.2, metrics["loss"], 12);
    }
}

public sealed class NpmMlflowClientTestsOnSqlite(KeelServerFixture server) : NpmMlflowClientTests(server), IClassFixture<KeelServerFixture>;

public sealed class NpmMlflowClientTestsOnPostgres(PostgresKeelServerFixture server) : NpmMlflowClientTests(server), IClassFixture<PostgresKeelServerFixture>;
