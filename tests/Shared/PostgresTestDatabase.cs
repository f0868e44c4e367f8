using Npgsql;

namespace Keel.Testing;

/// <summary>
/// A database of its own on the PostgreSQL that ./test starts on loopback (KEEL_TEST_PG, an Npgsql
/// connection string to the server), dropped when disposed.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    private PostgresTestDatabase(string name)
    {
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
    }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("KEEL_TEST_PG") ?? "Host=127.0.0.1;Port=55432;Username=postgres";

    public string Name { get; }

    /// <summary>What Keel's Storage:Database (and --db) take.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var database = new PostgresTestDatabase("keel_test_" + Guid.NewGuid().ToString("N")[..16]);
        try
        {
            await ExecuteAsync($"CREATE DATABASE {database.Name}");
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException(
                $"No PostgreSQL answers at '{ServerConnectionString}': run the tests with ./test, which starts one (tests/infra/pg-up.sh).", e);
        }

        return database;
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// A fresh PostgreSQL database for a test class that starts its own servers: <see cref="Arguments"/> are the
/// server arguments that put their metadata there.
/// </summary>
public sealed class PostgresBackend : IAsyncLifetime
{
    private PostgresTestDatabase? _database;

    public string[] Arguments => ["--Storage:Database", (_database ?? throw new InvalidOperationException("Not started.")).ConnectionString];

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
