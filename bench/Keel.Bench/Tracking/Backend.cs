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

    public sealed record DatabaseLease(IReadOnlyList<string> ServerArguments, Func<Task> Drop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await Drop();
    }
}

/// <summary>The embedded default: the server's fresh data directory holds the database.</summary>
internal sealed class SqliteBackend : Backend
{
    public override string Name => "SQLite";

    public override string Description => "SQLite (WAL, synchronous=FULL, group commit): the embedded default";

    public override Task<DatabaseLease> CreateAsync(CancellationToken ct) => Task.FromResult(new DatabaseLease([], () => Task.CompletedTask));
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
        return new DatabaseLease(["--Storage:Database", database.ConnectionString], async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", CancellationToken.None);
        });
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
