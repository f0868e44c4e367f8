using System.Data.Common;
using Keel.Core.Artifacts;
using Keel.Core.Storage;
using Keel.Core.Tracking;
using Keel.Core.Tracking.Search;

namespace Keel.Core.Registry;

/// <summary>
/// MLflow's model registry: registered models, versions, tags, stages and aliases, plus the change log
/// (<see cref="RegistryEvents"/>). Writes go through the group-commit <see cref="WriteQueue"/> and check
/// everything they depend on inside their own transaction; reads open pooled connections. All SQL here is
/// meant to run unchanged on SQLite and PostgreSQL.
/// </summary>
internal sealed partial class RegistryStore(Database database, WriteQueue writes, TrackingStore tracking, IArtifactStore artifacts, TimeProvider clock)
{
    private const int DefaultModelResults = 100;
    private const int MaxModelResults = 1000;
    private const int DefaultVersionResults = 10_000;
    private const int MaxVersionResults = 200_000;
    private const int MaxEventResults = 10_000;

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// The model's id, with its row locked until the write commits: every change to one model (versions,
    /// aliases, stages, tags) then runs one at a time across replicas, so an alias can never be moved to a
    /// version another replica is deleting. The no-op UPDATE is the lock that SQLite and PostgreSQL share.
    /// </summary>
    private static long RequireModelId(WriteContext ctx, string name) =>
        ctx.Scalar("UPDATE registered_models SET model_id = model_id WHERE name = @p0 RETURNING model_id", name) is long id ? id : throw ModelNotFound(name);

    /// <summary>The version's current stage; RESOURCE_DOES_NOT_EXIST when the version does not exist.</summary>
    private static string RequireVersion(WriteContext ctx, long modelId, string name, long version) =>
        ctx.Scalar("SELECT current_stage FROM model_versions WHERE model_id = @p0 AND version = @p1", modelId, version) as string
        ?? throw VersionNotFound(name, version);

    private static void TouchModel(WriteContext ctx, long modelId, long now) =>
        ctx.Execute("UPDATE registered_models SET last_updated_time = @p0 WHERE model_id = @p1", now, modelId);

    private static KeelException ModelNotFound(string name) => KeelException.NotFound($"Registered Model with name={name} not found");

    private static KeelException VersionNotFound(string name, long version) =>
        KeelException.NotFound($"Model Version (name={name}, version={version}) not found");

    private static KeelException ModelNameTaken(string name) => KeelException.AlreadyExists($"Registered Model (name={name}) already exists.");

    private static int MaxResults(long? requested, int defaultValue, int limit)
    {
        var value = requested ?? defaultValue;
        if (value <= 0 || value > limit)
        {
            throw KeelException.InvalidParameter(
                $"Invalid value for request parameter max_results. It must be at most {limit} and positive, but got value {value}");
        }

        return (int)value;
    }

    /// <summary>Reads rows of <c>event_id, time, actor, event_type, model_name, version, payload</c>, in the command's order.</summary>
    private static async Task<List<RegistryEvent>> ReadEventsAsync(DbCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var events = new List<RegistryEvent>();
        while (await reader.ReadAsync(ct))
        {
            events.Add(new RegistryEvent(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), NullableLong(reader, 5), reader.GetString(6)));
        }

        return events;
    }

    private static DbCommand Command(DbConnection connection, SqlQuery query)
    {
        var command = connection.CreateCommand();
        command.CommandText = query.Sql;
        foreach (var (name, value) in query.Parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static SqlQuery Query(string sql, params object?[] values) =>
        new(sql, values.Select((v, i) => (Name: $"p{i}", Value: v)).ToDictionary(x => x.Name, x => x.Value));

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static long? NullableLong(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
