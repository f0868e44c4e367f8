using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keel.Core.Storage;

/// <summary>Opens connections to the embedded database with the settings every connection needs.</summary>
internal sealed class SqliteDatabase(IOptions<StorageOptions> options)
{
    public string ConnectionString { get; } = new SqliteConnectionStringBuilder
    {
        DataSource = options.Value.DatabasePath,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public async Task<SqliteConnection> OpenReadAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        // MLflow's LIKE is case-sensitive; ILIKE is translated to LOWER() on both sides.
        Execute(connection, "PRAGMA case_sensitive_like = ON; PRAGMA busy_timeout = 30000;");
        return connection;
    }

    public SqliteConnection OpenWriter()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        // WAL lets readers run beside the single writer. synchronous=FULL syncs the WAL on every
        // commit, so an acknowledged write survives power loss, not just a process crash; group
        // commit in WriteQueue is what keeps that affordable.
        Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000; PRAGMA case_sensitive_like = ON;");
        return connection;
    }

    /// <summary>Creates or upgrades the schema; refuses a database written by a newer Keel.</summary>
    public void Migrate()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(options.Value.DatabasePath)!);
        using (var connection = OpenWriter())
        {
            // journal_mode=WAL is persistent; setting it before EF touches the file avoids a
            // rollback-journal phase on first start.
        }

        using var db = new KeelDbContext(new DbContextOptionsBuilder<KeelDbContext>().UseSqlite(ConnectionString).Options);
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var unknown = db.Database.GetAppliedMigrations().Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database at {options.Value.DatabasePath} has schema version '{unknown[^1]}', newer than this Keel knows. " +
                "Upgrade Keel, or point --data at another directory.");
        }

        db.Database.Migrate();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
