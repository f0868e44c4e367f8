using Keel.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
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

        var error = Assert.Throws<SchemaTooNewException>(() => Database().Migrate());
        Assert.Contains("29991231000000_FromTheFuture", error.Message);
        Assert.Contains("newer than this Keel knows", error.Message);
    }

    [Fact]
    public void Migrate_FromTheFirstSchemaVersion_KeepsData_AndClustersKeyValueTables()
    {
        var database = Database();
        Directory.CreateDirectory(_dir);
        using (var db = new KeelDbContext(new DbContextOptionsBuilder<KeelDbContext>().UseSqlite(database.ConnectionString).Options))
        {
            db.GetService<IMigrator>().Migrate("20261124191548_InitialTracking");
        }

        using (var connection = database.OpenWriter())
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO experiments(experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (1, 'e', 'x', 'active', 1, 1);
                INSERT INTO runs(run_key, run_uuid, name, experiment_id, user_id, status, start_time, lifecycle_stage, artifact_uri) VALUES (7, 'abc', 'r', 1, 'u', 'RUNNING', 1, 'active', 'x');
                INSERT INTO params VALUES (7, 'lr', '0.1');
                INSERT INTO tags VALUES (7, 't', 'v');
                INSERT INTO latest_metrics(run_key, key, value, timestamp, step, is_nan) VALUES (7, 'loss', 0.5, 10, 3, 0);
                INSERT INTO metrics(run_key, key, step, timestamp, value, is_nan) VALUES (7, 'loss', 3, 10, 0.5, 0);
                """;
            command.ExecuteNonQuery();
        }

        database.Migrate();

        using var check = database.OpenWriter();
        using var query = check.CreateCommand();
        query.CommandText = "SELECT p.value || '|' || t.value || '|' || m.value || '|' || m.step FROM params p JOIN tags t USING (run_key) JOIN latest_metrics m USING (run_key) WHERE run_key = 7";
        Assert.Equal("0.1|v|0.5|3", query.ExecuteScalar());
        query.CommandText = "SELECT sql FROM sqlite_master WHERE name = 'params'";
        Assert.EndsWith("WITHOUT ROWID", (string)query.ExecuteScalar()!);
        query.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'IX_latest_metrics_key_value'";
        Assert.Equal(1L, query.ExecuteScalar());
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
