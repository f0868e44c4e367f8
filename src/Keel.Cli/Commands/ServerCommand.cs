using System.CommandLine;
using Keel.Core.Auth;
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
        Options.Add(Auth);
        Options.Add(BootstrapAdmin);
        SetAction(RunAsync);
    }

    private static readonly Option<bool> Auth = new("--auth")
    {
        Description = "Require credentials on every route but health checks: an API token (Bearer) or a user name and password (Basic).",
    };

    private static readonly Option<string?> BootstrapAdmin = new("--bootstrap-admin")
    {
        Description = $"With --auth, create this admin if no such user exists; the password comes from ${AuthOptions.BootstrapPasswordVariable}.",
        HelpName = "NAME",
    };

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        if (AuthArguments(parse, out var error) is not { } authArgs)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"Error: {error}");
            return ExitCodes.InvalidArguments;
        }

        var app = KeelServer.Build([.. ServerOptions.ToServerArgs(parse), .. authArgs]);
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

    /// <summary>
    /// The Auth settings, checked here so a missing or weak bootstrap password is one line before anything starts;
    /// null with <paramref name="error"/> when they are refused.
    /// </summary>
    private static string[]? AuthArguments(ParseResult parse, out string? error)
    {
        error = null;
        var admin = parse.GetValue(BootstrapAdmin);
        if (!parse.GetValue(Auth))
        {
            error = admin is null ? null : "--bootstrap-admin needs --auth.";
            return admin is null ? [] : null;
        }

        if (admin is null)
        {
            return ["--Auth:Enabled", "true"];
        }

        var password = Environment.GetEnvironmentVariable(AuthOptions.BootstrapPasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            error = $"--bootstrap-admin needs the admin's password in {AuthOptions.BootstrapPasswordVariable}; Keel has no default password.";
            return null;
        }

        if (Passwords.Weakness(password) is { } weakness)
        {
            error = $"{AuthOptions.BootstrapPasswordVariable} is refused: {weakness}";
            return null;
        }

        return ["--Auth:Enabled", "true", "--Auth:BootstrapAdmin", admin];
    }
}
