using Keel.Core.Storage;
using Keel.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Keel.Core.Tests.Storage;

public sealed class PostgresDatabaseTests : IAsyncLifetime
{
    private PostgresTestDatabase _server = null!;

    public async Task InitializeAsync() => _server = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private PostgresDatabase Database() => new(Options.Create(new StorageOptions { Database = _server.ConnectionString }));

    [Fact]
    public async Task Migrate_CreatesSchema_AndIsIdempotent()
    {
        Assert.NotEmpty(Database().PendingMigrations());
        Database().Migrate();
        Database().Migrate();

        Assert.Empty(Database().PendingMigrations());
        await using var connection = await _server.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('experiments', 'runs', 'metrics', 'latest_metrics', 'params', 'tags')", connection);
        Assert.Equal(6L, await command.ExecuteScalarAsync());
        // Text compares byte by byte, as on SQLite, whatever the database's locale.
        command.CommandText = "SELECT collation_name FROM information_schema.columns WHERE table_name = 'experiments' AND column_name = 'name'";
        Assert.Equal("C", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrate_OnDatabaseFromNewerKeel_RefusesWithClearMessage()
    {
        Database().Migrate();
        await using (var connection = await _server.OpenAsync())
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO \"__EFMigrationsHistory\"(\"MigrationId\", \"ProductVersion\") VALUES ('29991231000000_FromTheFuture', '99.0')", connection);
            await command.ExecuteNonQueryAsync();
        }

        var error = Assert.Throws<SchemaTooNewException>(() => Database().Migrate());
        Assert.Contains("29991231000000_FromTheFuture", error.Message);
        Assert.Contains("newer than this Keel knows", error.Message);
        Assert.DoesNotContain("Password", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Migrate_FromTheFirstSchemaVersion_KeepsData()
    {
        using (var db = new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(_server.ConnectionString).Options))
        {
            db.GetService<IMigrator>().Migrate("20261124211652_InitialTracking");
        }

        await using (var connection = await _server.OpenAsync())
        await using (var command = new NpgsqlCommand("""
            INSERT INTO experiments(experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (1, 'e', 'x', 'active', 1, 1);
            INSERT INTO runs(run_key, run_uuid, name, experiment_id, user_id, status, start_time, lifecycle_stage, artifact_uri) VALUES (7, 'abc', 'r', 1, 'u', 'RUNNING', 1, 'active', 'x');
            INSERT INTO params VALUES (7, 'lr', '0.1');
            INSERT INTO latest_metrics(run_key, key, value, timestamp, step, is_nan) VALUES (7, 'loss', 0.5, 10, 3, false);
            INSERT INTO metrics(run_key, key, step, timestamp, value, is_nan) VALUES (7, 'loss', 3, 10, 0.5, false);
            """, connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        var applied = Database().Migrate();

        Assert.Contains(applied, m => m.EndsWith("_Registry", StringComparison.Ordinal));
        Assert.Contains(applied, m => m.EndsWith("_MetricChunks", StringComparison.Ordinal));
        await using var check = await _server.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT p.value || '|' || m.value || '|' || m.step FROM params p JOIN latest_metrics m USING (run_key) WHERE run_key = 7", check);
        Assert.Equal("0.1|0.5|3", await query.ExecuteScalarAsync());
        // The point moved from the per-point table into a chunk, and reads back through the metrics view.
        query.CommandText = "SELECT step || '|' || timestamp || '|' || value FROM metrics WHERE run_key = 7 AND key = 'loss'";
        Assert.Equal("3|10|0.5", await query.ExecuteScalarAsync());
        query.CommandText = "SELECT count(*) FROM information_schema.tables WHERE table_name = 'registered_models'";
        Assert.Equal(1L, await query.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("postgresql://keel:s3cr%40t@db.internal:6543/metadata?sslmode=require", "db.internal", 6543, "metadata", "keel", "s3cr@t")]
    [InlineData("postgres://u@localhost/keel", "localhost", 5432, "keel", "u", null)]
    [InlineData("postgresql://u:p@127.0.0.1", "127.0.0.1", 5432, "keel", "u", "p")]
    [InlineData("Host=h;Port=5433;Database=d;Username=x;Password=y", "h", 5433, "d", "x", "y")]
    public void ConnectionString_AcceptsUrlsAndNpgsqlStrings(string value, string host, int port, string database, string user, string? password)
    {
        var parsed = PostgresConnectionString.Parse(value);
        Assert.Equal(host, parsed.Host);
        Assert.Equal(port, parsed.Port);
        Assert.Equal(database, parsed.Database);
        Assert.Equal(user, parsed.Username);
        Assert.Equal(password, parsed.Password);
    }

    [Fact]
    public void ConnectionString_KeepsSslModeFromTheUrl()
    {
        Assert.Equal(SslMode.Require, PostgresConnectionString.Parse("postgresql://u@h/d?sslmode=require").SslMode);
    }

    [Theory]
    [InlineData("mysql://u@h/d")]
    [InlineData("postgresql:///nohost")]
    public void ConnectionString_RejectsWhatIsNotPostgres(string value)
    {
        Assert.Throws<FormatException>(() => PostgresConnectionString.Parse(value));
    }
}
