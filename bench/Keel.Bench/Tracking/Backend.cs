using Keel.Core.Storage;
using Npgsql;

namespace Keel.Bench.Tracking;

/// <summary>The metadata database a workload's server runs on; every workload gets a fresh one.</summary>
internal abstract class Backend
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>Server arguments for a fresh, empty database; disposing the lease drops it.</summary>
    public abstract Task<DatabaseLease> CreateAsync(CancellationToken ct);

    /// <param name="Settle">Waits, after a bulk load, until the database is as a running deployment keeps it.</param>
    public sealed record DatabaseLease(IReadOnlyList<string> ServerArguments, Func<CancellationToken, Task> Settle, Func<Task> Drop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await Drop();
    }
}

/// <summary>The embedded default: the server's fresh data directory holds the database.</summary>
internal sealed class SqliteBackend : Backend
{
    public override string Name => "SQLite";

    public override string Description => "SQLite (WAL, synchronous=FULL, group commit): the embedded default";

    public override Task<DatabaseLease> CreateAsync(CancellationToken ct) =>
        Task.FromResult(new DatabaseLease([], _ => Task.CompletedTask, () => Task.CompletedTask));
}

/// <summary>A fresh database per workload on the PostgreSQL server that --db names.</summary>
internal sealed class PostgresBackend(string url) : Backend
{
    private readonly NpgsqlConnectionStringBuilder _server = PostgresConnectionString.Parse(url);

    public override string Name => "PostgreSQL";

    public override string Description =>
        $"PostgreSQL at {_server.Host}:{_server.Port} (server defaults, fsync on, synchronous_commit on), a fresh database per workload";

    public override async Task<DatabaseLease> CreateAsync(CancellationToken ct)
    {
        var name = "keel_bench_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync($"CREATE DATABASE {name}", ct);
        var database = new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = name };
        return new DatabaseLease(["--Storage:Database", database.ConnectionString], token => AwaitStatisticsAsync(database.ConnectionString, token), async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", CancellationToken.None);
        });
    }

    /// <summary>
    /// Waits until autovacuum has analyzed the tables search reads since they were filled. Right after a
    /// bulk load PostgreSQL has no statistics and estimates one row per experiment, so it plans the search
    /// backwards (measured: 40-50 ms instead of 3 ms over 10,000 runs); a deployment that has been running
    /// for a minute has them, so the bench measures that state instead of the minute after a load.
    /// </summary>
    private static async Task AwaitStatisticsAsync(string connectionString, CancellationToken ct)
    {
        const string Fresh =
            "SELECT count(*) FROM pg_stat_user_tables WHERE relname IN ('runs', 'params', 'tags', 'latest_metrics') " +
            "AND coalesce(last_autoanalyze, last_analyze) IS NOT NULL AND n_mod_since_analyze <= 50 + 0.1 * n_live_tup";
        var deadline = DateTime.UtcNow.AddMinutes(3);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        while (true)
        {
            await using (var command = new NpgsqlCommand(Fresh, connection))
            {
                if ((long)(await command.ExecuteScalarAsync(ct))! == 4)
                {
                    return;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new BenchmarkException("autovacuum did not analyze the run tables within 3 minutes of the load; is autovacuum on?");
            }

            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
