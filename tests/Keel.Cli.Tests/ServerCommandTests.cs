using Keel.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Keel.Cli.Tests;

public sealed class ServerCommandTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "keel-cli-server-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Server_OnDatabaseFromNewerKeel_ExitsWithOneLineError()
    {
        var database = new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = _data }));
        database.Migrate();
        using (var connection = database.OpenWriter())
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO __EFMigrationsHistory(MigrationId, ProductVersion) VALUES ('29991231000000_FromTheFuture', '99.0')";
            command.ExecuteNonQuery();
        }

        var result = await CliRunner.RunAsync("server", "--port", "0", "--data", _data);

        Assert.Equal(Keel.Cli.Commands.ExitCodes.ServerFailedToStart, result.ExitCode);
        Assert.StartsWith("Error: could not start the server:", result.Error, StringComparison.Ordinal);
        Assert.Contains("newer than this Keel knows", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
