using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keel.Core.Storage;

/// <summary>The embedded default: one SQLite file under the data directory, in WAL mode.</summary>
internal sealed class SqliteDatabase(IOptions<StorageOptions> options) : Database
{
    private readonly string _path = options.Value.DatabasePath;

    public string ConnectionString { get; } = new SqliteConnectionStringBuilder
    {
        DataSource = options.Value.DatabasePath,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override string Description => _path;

    public override async Task<DbConnection> OpenReadAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        // MLflow's LIKE is case-sensitive; ILIKE is translated to LOWER() on both sides.
        Execute(connection, "PRAGMA case_sensitive_like = ON; PRAGMA busy_timeout = 30000;");
        return connection;
    }

    public override DbConnection OpenWriter()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        // WAL lets readers run beside the single writer. synchronous=FULL syncs the WAL on every
        // commit, so an acknowledged write survives power loss, not just a process crash; group
        // commit in WriteQueue is what keeps that affordable.
        Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000; PRAGMA case_sensitive_like = ON;");
        return connection;
    }

    public override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    public override bool IsUniqueViolation(Exception e) => e is SqliteException { SqliteErrorCode: 19 };

    // One writer per database file: there is no other transaction to deadlock with.
    public override bool IsTransient(Exception e) => false;

    public override string InList(string parameter) => $"IN (SELECT value FROM json_each({parameter}))";

    public override object ListValue(IReadOnlyList<long> values) => JsonSerializer.Serialize(values);

    public override IReadOnlyList<string> Migrate()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        using (OpenWriter())
        {
            // journal_mode=WAL is persistent; setting it before EF touches the file avoids a
            // rollback-journal phase on first start.
        }

        return base.Migrate();
    }

    protected override KeelDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<KeelDbContext>().UseSqlite(ConnectionString).Options);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
