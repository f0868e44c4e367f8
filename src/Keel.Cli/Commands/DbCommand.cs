using System.CommandLine;
using Keel.Core.Storage;

namespace Keel.Cli.Commands;

/// <summary><c>keel db upgrade [--db URL | --data DIR]</c>: applies schema migrations and exits.</summary>
internal sealed class DbCommand : Command
{
    public DbCommand()
        : base("db", "Manage the metadata database.")
    {
        var upgrade = new Command("upgrade",
            "Apply the schema migrations this Keel knows to the database, then exit. Run it once before rolling out new server replicas.");
        upgrade.Options.Add(ServerOptions.Data);
        upgrade.Options.Add(ServerOptions.Db);
        upgrade.SetAction(Upgrade);
        Subcommands.Add(upgrade);
    }

    private static int Upgrade(ParseResult parse)
    {
        var output = new CliOutput(parse.InvocationConfiguration);
        var options = new StorageOptions { DataDirectory = parse.GetRequiredValue(ServerOptions.Data), Database = parse.GetValue(ServerOptions.Db) };
        Database database;
        try
        {
            database = Database.Create(options);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            output.Error($"--db: {e.Message}");
            return ExitCodes.InvalidArguments;
        }

        try
        {
            var applied = database.Migrate();
            output.Line(applied.Count == 0
                ? $"{database.Description} is up to date."
                : $"Upgraded {database.Description}: applied {string.Join(", ", applied)}.");
            return ExitCodes.Success;
        }
        catch (SchemaTooNewException e)
        {
            output.Error(e.Message);
            return ExitCodes.ServerFailedToStart;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or System.Net.Sockets.SocketException or TimeoutException)
        {
            output.Error($"Could not upgrade {database.Description}: {e.Message}");
            return ExitCodes.Unreachable;
        }
        finally
        {
            (database as IAsyncDisposable)?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
