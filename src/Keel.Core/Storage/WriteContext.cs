using Microsoft.Data.Sqlite;

namespace Keel.Core.Storage;

/// <summary>
/// What a write unit sees: the writer's connection inside the current transaction, with prepared
/// commands that stay prepared across commits (SQLite re-prepares a command whose text changes).
/// </summary>
internal sealed class WriteContext(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;
    private Tracking.MetricInserter? _metrics;

    /// <summary>The prepared metric append of this connection (see <see cref="Tracking.MetricInserter"/>).</summary>
    public Tracking.MetricInserter Metrics => _metrics ??= new Tracking.MetricInserter(connection);

    /// <summary>Values cached for the duration of one transaction only, never across commits.</summary>
    public Dictionary<string, object> TransactionCache { get; } = new(StringComparer.Ordinal);

    public void Begin(SqliteTransaction transaction)
    {
        _transaction = transaction;
        foreach (var command in _commands.Values)
        {
            command.Transaction = transaction;
        }
    }

    public void End()
    {
        _transaction = null;
        TransactionCache.Clear();
    }

    /// <summary>A cached command for this SQL text; parameters are named @p0, @p1, ... in order.</summary>
    private SqliteCommand Command(string sql, int parameterCount)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < parameterCount; i++)
            {
                command.Parameters.Add(new SqliteParameter("@p" + i, null));
            }

            _commands[sql] = command;
        }

        command.Transaction = _transaction;
        return command;
    }

    public int Execute(string sql, params object?[] values) => Bound(sql, values).ExecuteNonQuery();

    public object? Scalar(string sql, params object?[] values) =>
        Bound(sql, values).ExecuteScalar() is var result && result is DBNull ? null : result;

    public SqliteDataReader Query(string sql, params object?[] values) => Bound(sql, values).ExecuteReader();

    private SqliteCommand Bound(string sql, object?[] values)
    {
        var command = Command(sql, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command;
    }

    public void Dispose()
    {
        _metrics?.Dispose();
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
    }
}
