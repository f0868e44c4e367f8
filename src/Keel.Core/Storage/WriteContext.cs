using System.Data.Common;

namespace Keel.Core.Storage;

/// <summary>
/// What a write unit sees: the writer's connection inside the current transaction, with commands that
/// stay prepared across commits (both engines re-prepare a command whose text changes).
/// </summary>
internal sealed class WriteContext(Database database, DbConnection connection) : IDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, IDisposable> _prepared = [];
    private DbTransaction? _transaction;

    public Database Database => database;

    public DbConnection Connection => connection;

    public DbTransaction? Transaction => _transaction;

    /// <summary>Values cached for the duration of one transaction only, never across commits.</summary>
    public Dictionary<string, object> TransactionCache { get; } = new(StringComparer.Ordinal);

    public void Begin(DbTransaction transaction)
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

    /// <summary>A helper bound to this connection, created once (a store's prepared fast path).</summary>
    public T Prepared<T>(Func<WriteContext, T> create)
        where T : class, IDisposable
    {
        if (!_prepared.TryGetValue(typeof(T), out var helper))
        {
            _prepared[typeof(T)] = helper = create(this);
        }

        return (T)helper;
    }

    /// <summary>A cached command for this SQL text; parameters are named @p0, @p1, ... in order.</summary>
    private DbCommand Command(string sql, int parameterCount)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < parameterCount; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@p" + i;
                command.Parameters.Add(parameter);
            }

            _commands[sql] = command;
        }

        command.Transaction = _transaction;
        return command;
    }

    public int Execute(string sql, params object?[] values) => Bound(sql, values).ExecuteNonQuery();

    public object? Scalar(string sql, params object?[] values) =>
        Bound(sql, values).ExecuteScalar() is var result && result is DBNull ? null : result;

    public DbDataReader Query(string sql, params object?[] values) => Bound(sql, values).ExecuteReader();

    private DbCommand Bound(string sql, object?[] values)
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
        foreach (var helper in _prepared.Values)
        {
            helper.Dispose();
        }

        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
    }
}
