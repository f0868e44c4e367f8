using System.CommandLine;
using Keel.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Keel.Cli.Commands;

/// <summary><c>keel server [--host H] [--port P] [--data DIR] [--db URL] [--artifacts s3://...]</c>: the Keel server.</summary>
internal sealed class ServerCommand : Command
{
    public ServerCommand()
        : base("server", "Run the Keel server (MLflow-compatible tracking; SQLite + local artifacts under --data, or PostgreSQL (--db) and S3 (--artifacts)).")
    {
        Options.Add(ServerOptions.Host);
        Options.Add(ServerOptions.Port);
        Options.Add(ServerOptions.Data);
        Options.Add(ServerOptions.Db);
        Options.Add(ServerOptions.Artifacts);
        Options.Add(ServerOptions.S3Endpoint);
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var app = KeelServer.Build(ServerOptions.ToServerArgs(parse));
        try
        {
            await app.StartAsync(ct);
            await app.WaitForShutdownAsync(ct);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OptionsValidationException && !ct.IsCancellationRequested)
        {
            // A taken port, a database this Keel cannot use, or invalid settings such as --artifacts are
            // the operator's to fix; one line says what, no stack trace.
            await parse.InvocationConfiguration.Error.WriteLineAsync($"Error: could not start the server: {e.Message}");
            return ExitCodes.ServerFailedToStart;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            await app.DisposeAsync();
        }

        return ExitCodes.Success;
    }
}
