using System.Runtime.CompilerServices;
using System.Data.Common;
using Keel.Core.Storage;

namespace Keel.Core.Tracking;

internal sealed partial class TrackingStore
{
    public async Task<Run> GetRunAsync(string? runId, CancellationToken ct = default)
    {
        Validation.RunId(runId);
        await using var connection = await database.OpenReadAsync(ct);
        var runKey = await RunKeyAsync(connection, runId!, ct);
        return (await LoadRunsAsync(connection, [runKey], ct))[0];
    }

    /// <summary>Opens a metric's history; throws before returning when the run does not exist.</summary>
    public async Task<MetricHistoryReader> OpenMetricHistoryAsync(string? runId, string? key, int offset, int? limit, CancellationToken ct = default)
    {
        Validation.RunId(runId);
        Validation.Required(key, "metric_key");
        var connection = await database.OpenReadAsync(ct);
        try
        {
            var runKey = await RunKeyAsync(connection, runId!, ct);
            // The reader owns the connection from here on.
            return await MetricHistoryReader.OpenAsync(database, connection, runKey, key!, offset, limit, ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<List<Metric>> ReadMetricHistoryAsync(string? runId, string? key, int offset, int? limit, CancellationToken ct = default)
    {
        await using var history = await OpenMetricHistoryAsync(runId, key, offset, limit, ct);
        var points = new List<Metric>();
        while (history.Read())
        {
            points.Add(new Metric(key!, history.Value, history.Timestamp, history.Step));
        }

        return points;
    }

    /// <summary>
    /// Points of one metric for several runs between two steps, thinned per run to at most
    /// <paramref name="maxResults"/> evenly spaced steps with the first and last kept (what MLflow's
    /// UI asks for to draw charts of long histories).
    /// </summary>
    public async Task<List<(string RunId, Metric Metric)>> ReadMetricIntervalAsync(
        IReadOnlyList<string> runIds, string? key, long? startStep, long? endStep, int maxResults, CancellationToken ct = default)
    {
        if (runIds.Count == 0 || runIds.Count > 100)
        {
            throw KeelException.InvalidParameter("GetMetricHistoryBulkInterval requests must specify between 1 and 100 run_ids.");
        }

        var metricKey = Validation.Required(key, "metric_key");
        if (startStep > endStep)
        {
            throw KeelException.InvalidParameter("end_step must be greater than start_step.");
        }

        await using var connection = await database.OpenReadAsync(ct);
        var result = new List<(string, Metric)>();
        foreach (var runId in runIds)
        {
            Validation.RunId(runId);
            var runKey = await RunKeyAsync(connection, runId, ct);
            var steps = new List<long>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT DISTINCT step FROM metrics WHERE run_key = @run AND key = @key AND step >= @from AND step <= @to ORDER BY step";
                command.AddParameter("@run", runKey);
                command.AddParameter("@key", key);
                command.AddParameter("@from", startStep ?? long.MinValue);
                command.AddParameter("@to", endStep ?? long.MaxValue);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    steps.Add(reader.GetInt64(0));
                }
            }

            var chosen = SampleSteps(steps, maxResults);
            await using (var command = connection.CreateCommand())
            {
                command.CommandText =
                    "SELECT step, timestamp, value, is_nan FROM metrics WHERE run_key = @run AND key = @key " +
                    $"AND step {database.InList("@steps")} ORDER BY step, timestamp";
                command.AddParameter("@run", runKey);
                command.AddParameter("@key", key);
                command.AddParameter("@steps", database.ListValue(chosen));
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    result.Add((runId, new Metric(metricKey, StoredMetricValue.Read(reader.GetDouble(2), reader.GetBoolean(3)), reader.GetInt64(1), reader.GetInt64(0))));
                }
            }
        }

        return result;
    }

    private static List<long> SampleSteps(List<long> steps, int maxResults)
    {
        if (steps.Count <= maxResults)
        {
            return steps;
        }

        var chosen = new SortedSet<long> { steps[0], steps[^1] };
        var stride = (double)(steps.Count - 1) / Math.Max(1, maxResults - 1);
        for (var i = 0; chosen.Count < maxResults && i < maxResults; i++)
        {
            chosen.Add(steps[(int)Math.Round(i * stride)]);
        }

        return [.. chosen];
    }

    private static async Task<long> RunKeyAsync(DbConnection connection, string runId, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT run_key FROM runs WHERE run_uuid = @id";
        command.AddParameter("@id", runId);
        return await command.ExecuteScalarAsync(ct) is long key ? key : throw RunNotFound(runId);
    }

    /// <summary>Loads whole runs (info, latest metrics, params, tags, inputs) in the order of <paramref name="runKeys"/>.</summary>
    private async Task<List<Run>> LoadRunsAsync(DbConnection connection, List<long> runKeys, CancellationToken ct)
    {
        if (runKeys.Count == 0)
        {
            return [];
        }

        var keys = database.ListValue(runKeys);
        var inKeys = database.InList("@keys");
        var infos = new Dictionary<long, RunInfo>();
        await foreach (var r in QueryAsync(connection,
            "SELECT run_key, run_uuid, name, experiment_id, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage FROM runs " +
            $"WHERE run_key {inKeys}", keys, ct))
        {
            infos[r.GetInt64(0)] = new RunInfo(r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5),
                r.GetInt64(6), r.GetNullableInt64(7), r.GetString(8), Stage(r.GetString(9)));
        }

        var metrics = new Dictionary<long, List<Metric>>();
        await foreach (var r in QueryAsync(connection,
            $"SELECT run_key, key, value, timestamp, step, is_nan FROM latest_metrics WHERE run_key {inKeys} ORDER BY key", keys, ct))
        {
            Add(metrics, r.GetInt64(0), new Metric(r.GetString(1), StoredMetricValue.Read(r.GetDouble(2), r.GetBoolean(5)), r.GetInt64(3), r.GetInt64(4)));
        }

        var parameters = await KeyValuesAsync(connection, "params", inKeys, keys, ct);
        var tags = await KeyValuesAsync(connection, "tags", inKeys, keys, ct);
        var inputTags = new Dictionary<(long, long), List<KeyValue>>();
        await foreach (var r in QueryAsync(connection,
            $"SELECT run_key, dataset_id, key, value FROM input_tags WHERE run_key {inKeys} ORDER BY key", keys, ct))
        {
            Add(inputTags, (r.GetInt64(0), r.GetInt64(1)), new KeyValue(r.GetString(2), r.GetString(3)));
        }

        var inputs = new Dictionary<long, List<DatasetInput>>();
        await foreach (var r in QueryAsync(connection,
            "SELECT i.run_key, d.dataset_id, d.name, d.digest, d.source_type, d.source, d.schema, d.profile FROM inputs i " +
            $"JOIN datasets d ON d.dataset_id = i.dataset_id WHERE i.run_key {inKeys} ORDER BY d.dataset_id", keys, ct))
        {
            var dataset = new Dataset(r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetNullableString(6), r.GetNullableString(7));
            Add(inputs, r.GetInt64(0), new DatasetInput(inputTags.TryGetValue((r.GetInt64(0), r.GetInt64(1)), out var t) ? t : [], dataset));
        }

        return runKeys.Where(infos.ContainsKey).Select(k => new Run(
            infos[k],
            metrics.TryGetValue(k, out var m) ? m : [],
            parameters.TryGetValue(k, out var p) ? p : [],
            tags.TryGetValue(k, out var t) ? t : [],
            inputs.TryGetValue(k, out var i) ? i : [])).ToList();
    }

    private static async Task<Dictionary<long, List<KeyValue>>> KeyValuesAsync(DbConnection connection, string table, string inKeys, object keys, CancellationToken ct)
    {
        var result = new Dictionary<long, List<KeyValue>>();
        await foreach (var r in QueryAsync(connection,
            $"SELECT run_key, key, value FROM {table} WHERE run_key {inKeys} ORDER BY key", keys, ct))
        {
            Add(result, r.GetInt64(0), new KeyValue(r.GetString(1), r.GetString(2)));
        }

        return result;
    }

    private static async IAsyncEnumerable<DbDataReader> QueryAsync(
        DbConnection connection, string sql, object keys, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.AddParameter("@keys", keys);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return reader;
        }
    }

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }
}
