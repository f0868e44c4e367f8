using Keel.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Keel.Core.Tests.Storage;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "keel-db-" + Guid.NewGuid().ToString("N"));

    private SqliteDatabase Database() => new(Options.Create(new StorageOptions { DataDirectory = _dir }));

    [Fact]
    public void Migrate_CreatesSchemaInWalMode_AndIsIdempotent()
    {
        Database().Migrate();
        Database().Migrate();

        using var connection = Database().OpenWriter();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name IN ('experiments', 'runs', 'metrics', 'latest_metrics', 'params', 'tags')";
        Assert.Equal(6L, command.ExecuteScalar());
    }

    [Fact]
    public void Migrate_OnDatabaseFromNewerKeel_RefusesWithClearMessage()
    {
        Database().Migrate();
        using (var connection = Database().OpenWriter())
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO __EFMigrationsHistory(MigrationId, ProductVersion) VALUES ('29991231000000_FromTheFuture', '99.0')";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidOperationException>(() => Database().Migrate());
        Assert.Contains("29991231000000_FromTheFuture", error.Message);
        Assert.Contains("newer than this Keel knows", error.Message);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
