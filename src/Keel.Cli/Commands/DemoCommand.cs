using System.CommandLine;
using Keel.Cli.Demo;
using Keel.Client;
using Keel.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Keel.Cli.Commands;

/// <summary>
/// <c>keel demo</c>: the main job end to end. Starts an embedded server unless --tracking-uri (or
/// MLFLOW_TRACKING_URI) names one, then runs each stage and says where to look.
/// </summary>
internal sealed class DemoCommand : Command
{
    private static readonly Option<bool> KeepRunning = new("--keep-running")
    {
        Description = "Keep the embedded server running after the demo (Ctrl-C to stop).",
    };

    public DemoCommand()
        : base("demo", "Run the end-to-end demo: train on real flights data as a tracked sweep, register, deploy, canary, roll back, and monitor a shifted batch.")
    {
        Options.Add(ServerOptions.Host);
        Options.Add(ServerOptions.Port);
        Options.Add(ServerOptions.Data);
        Options.Add(KeepRunning);
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var output = new CliOutput(parse.InvocationConfiguration);
        var external = parse.GetValue(GlobalOptions.TrackingUri) ?? Environment.GetEnvironmentVariable(TrackingUri.EnvironmentVariable);
        WebApplication? embedded = null;
        try
        {
            Uri server;
            if (external is null)
            {
                embedded = KeelServer.Build([.. ServerOptions.ToServerArgs(parse), "--Logging:LogLevel:Keel.Requests", "Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning"]);
                await embedded.StartAsync(ct);
                server = KeelServer.ListeningAddress(embedded);
                output.Line($"Embedded Keel server at {server} (data in {Path.GetFullPath(parse.GetRequiredValue(ServerOptions.Data))})");
            }
            else
            {
                server = new Uri(external);
                output.Line($"Using the tracking server at {server}");
            }

            using var client = new KeelClient(server.ToString());
            var work = Directory.CreateTempSubdirectory("keel-demo-");
            try
            {
                var runner = new DemoRunner(client, output.Console, work.FullName);
                var results = await runner.RunSweepAsync(ct);
                var champion = await runner.RegisterChampionAsync(results, ct);
                await runner.ServeAsync(results, champion, ct);
                await runner.AddShiftedBatchAsync(ct);
                await runner.MonitorAsync(ct);
                runner.PrintSummary(results, server, embedded is null || parse.GetValue(KeepRunning) ? null : parse.GetRequiredValue(ServerOptions.Data));
            }
            finally
            {
                work.Delete(recursive: true);
            }

            if (embedded is not null && parse.GetValue(KeepRunning))
            {
                output.Line("Serving until Ctrl-C.");
                await embedded.WaitForShutdownAsync(ct);
            }
            else if (embedded is not null)
            {
                output.Line($"The embedded server has stopped; its data stays in {parse.GetRequiredValue(ServerOptions.Data)} (or rerun with --keep-running).");
            }

            return ExitCodes.Success;
        }
        catch (IOException e) when (embedded is not null && e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            output.Error($"Could not start the embedded server: {e.Message}. Pass --port 0 for a free port, or --tracking-uri URL to use a running server.");
            return ExitCodes.ServerFailedToStart;
        }
        catch (KeelApiException e)
        {
            output.Error($"The tracking server answered {e.ErrorCode}: {e.Message}");
            return ExitCodes.ServerError;
        }
        catch (HttpRequestException e)
        {
            output.Error($"Could not reach the tracking server ({e.Message}). Start one with `keel server`, or drop --tracking-uri to use an embedded one.");
            return ExitCodes.Unreachable;
        }
        finally
        {
            if (embedded is not null)
            {
                await embedded.StopAsync(CancellationToken.None);
                await embedded.DisposeAsync();
            }
        }
    }
}
