using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Core.Storage;

namespace Keel.Core.Tracking;

internal sealed partial class TrackingStore
{
    private const string ModelHistoryTag = "mlflow.log-model.history";

    public Task LogBatchAsync(string? runId, IReadOnlyList<Metric> metrics, IReadOnlyList<KeyValue> parameters, IReadOnlyList<KeyValue> tags, CancellationToken ct = default)
    {
        Validation.RunId(runId);
        Validation.BatchLimits(metrics.Count, parameters.Count, tags.Count);
        // A batch repeats a few keys many times; each distinct key is checked once.
        var checkedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var metric in metrics)
        {
            Validation.Metric(metric, checkKey: checkedKeys.Add(metric.Key));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var param in parameters)
        {
            Validation.ParamName(param.Key);
            Validation.ParamValue(param.Key, param.Value);
            if (!seen.Add(param.Key))
            {
                throw KeelException.InvalidParameter(
                    $"Duplicate parameter keys have been submitted: ['{param.Key}']. Please ensure the request contains only one param value per param key.");
            }
        }

        Validation.Tags(tags);

        return writes.ExecuteAsync(runId!, ctx =>
        {
            var run = ActiveRun(ctx, runId!);
            foreach (var param in parameters)
            {
                LogParam(ctx, run, runId!, param);
            }

            foreach (var tag in tags)
            {
                SetTag(ctx, run, tag.Key, tag.Value);
            }

            LogMetrics(ctx, run, metrics);
        }, ct);
    }

    public Task LogMetricAsync(string? runId, Metric metric, CancellationToken ct = default) => LogBatchAsync(runId, [metric], [], [], ct);

    public Task LogParamAsync(string? runId, KeyValue param, CancellationToken ct = default) => LogBatchAsync(runId, [], [param], [], ct);

    public Task SetTagAsync(string? runId, KeyValue tag, CancellationToken ct = default) => LogBatchAsync(runId, [], [], [tag], ct);

    public Task DeleteTagAsync(string? runId, string? key, CancellationToken ct = default)
    {
        Validation.RunId(runId);
        Validation.TagName(key);
        return writes.ExecuteAsync(runId!, ctx =>
        {
            var run = ActiveRun(ctx, runId!);
            if (ctx.Execute("DELETE FROM tags WHERE run_key = @p0 AND key = @p1", run, key) == 0)
            {
                throw KeelException.NotFound($"No tag with name: {key} in run with id {runId}");
            }
        }, ct);
    }

    public Task LogInputsAsync(string? runId, IReadOnlyList<DatasetInput> inputs, CancellationToken ct = default)
    {
        Validation.RunId(runId);
        if (inputs.Count > Validation.MaxEntitiesPerBatch)
        {
            throw KeelException.InvalidParameter($"A batch logging request can contain at most {Validation.MaxEntitiesPerBatch} datasets. Got {inputs.Count} datasets.");
        }

        foreach (var input in inputs)
        {
            ValidateDatasetInput(input);
        }

        return writes.ExecuteAsync(runId!, ctx =>
        {
            var run = ActiveRun(ctx, runId!);
            var experimentId = (long)ctx.Scalar("SELECT experiment_id FROM runs WHERE run_key = @p0", run)!;
            foreach (var input in inputs)
            {
                var d = input.Dataset;
                ctx.Execute(
                    "INSERT INTO datasets(experiment_id, name, digest, source_type, source, schema, profile) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6) " +
                    "ON CONFLICT(experiment_id, name, digest) DO NOTHING",
                    experimentId, d.Name, d.Digest, d.SourceType, d.Source, d.Schema, d.Profile);
                var datasetId = (long)ctx.Scalar("SELECT dataset_id FROM datasets WHERE experiment_id = @p0 AND name = @p1 AND digest = @p2",
                    experimentId, d.Name, d.Digest)!;
                ctx.Execute("INSERT INTO inputs(run_key, dataset_id) VALUES (@p0, @p1) ON CONFLICT DO NOTHING", run, datasetId);
                foreach (var tag in input.Tags)
                {
                    ctx.Execute(
                        "INSERT INTO input_tags(run_key, dataset_id, key, value) VALUES (@p0, @p1, @p2, @p3) " +
                        "ON CONFLICT(run_key, dataset_id, key) DO UPDATE SET value = excluded.value", run, datasetId, tag.Key, tag.Value);
                }
            }
        }, ct);
    }

    /// <summary>Records a logged model the way MLflow does: appended to the run's mlflow.log-model.history tag.</summary>
    public Task LogModelAsync(string? runId, string? modelJson, CancellationToken ct = default)
    {
        Validation.RunId(runId);
        JsonObject model;
        try
        {
            model = JsonNode.Parse(modelJson ?? "") as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            throw KeelException.InvalidParameter("Malformed model info. \n model_json must be a JSON object.");
        }

        string[] required = ["artifact_path", "flavors", "utc_time_created", "run_id"];
        var missing = required.Where(f => !model.ContainsKey(f)).ToList();
        if (missing.Count > 0)
        {
            throw KeelException.InvalidParameter($"Model json is missing mandatory fields: [{string.Join(", ", missing.Select(m => $"'{m}'"))}]");
        }

        return writes.ExecuteAsync(runId!, ctx =>
        {
            var run = ActiveRun(ctx, runId!);
            var current = ctx.Scalar("SELECT value FROM tags WHERE run_key = @p0 AND key = @p1", run, ModelHistoryTag) as string;
            var history = current is null ? [] : JsonNode.Parse(current) as JsonArray ?? [];
            history.Add(model.DeepClone());
            UpsertRunTag(ctx, run, ModelHistoryTag, history.ToJsonString());
        }, ct);
    }

    private static void LogParam(WriteContext ctx, long run, string runId, KeyValue param)
    {
        if (ctx.Execute("INSERT INTO params(run_key, key, value) VALUES (@p0, @p1, @p2) ON CONFLICT DO NOTHING", run, param.Key, param.Value) == 1)
        {
            return;
        }

        var existing = (string)ctx.Scalar("SELECT value FROM params WHERE run_key = @p0 AND key = @p1", run, param.Key)!;
        if (existing != param.Value)
        {
            throw KeelException.InvalidParameter(
                $"Changing param values is not allowed. Param with key='{param.Key}' was already logged with value='{existing}' " +
                $"for run ID='{runId}'. Attempted logging new value '{param.Value}'.");
        }
    }

    private static void SetTag(WriteContext ctx, long run, string key, string value)
    {
        UpsertRunTag(ctx, run, key, value);
        if (key == RunNameTag)
        {
            ctx.Execute("UPDATE runs SET name = @p0 WHERE run_key = @p1", value, run);
        }
    }

    private static void LogMetrics(WriteContext ctx, long run, IReadOnlyList<Metric> metrics)
    {
        if (metrics.Count == 0)
        {
            return;
        }

        var latest = new Dictionary<string, Metric>(StringComparer.Ordinal);
        foreach (var m in metrics)
        {
            if (!latest.TryGetValue(m.Key, out var best) || IsLater(m, best))
            {
                latest[m.Key] = m;
            }
        }

        ctx.Prepared(MetricWriter.Create).Write(run, metrics, latest.Values);
    }

    private static bool IsLater(Metric a, Metric b) =>
        a.Step != b.Step ? a.Step > b.Step : a.Timestamp != b.Timestamp ? a.Timestamp > b.Timestamp : a.Value > b.Value;

    private static void ValidateDatasetInput(DatasetInput input)
    {
        var d = input.Dataset;
        Validation.Required(d.Name, "dataset.name");
        Validation.Required(d.Digest, "dataset.digest");
        Validation.Required(d.SourceType, "dataset.source_type");
        Validation.Required(d.Source, "dataset.source");
        Validation.Length("Dataset name", Validation.MaxDatasetNameLength, d.Name);
        Validation.Length("Dataset digest", Validation.MaxDatasetDigestLength, d.Digest);
        Validation.Length("Dataset source", Validation.MaxDatasetSourceLength, d.Source);
        Validation.Length("Dataset schema", Validation.MaxDatasetSchemaLength, d.Schema ?? "");
        Validation.Length("Dataset profile", Validation.MaxDatasetProfileLength, d.Profile ?? "");
        foreach (var tag in input.Tags)
        {
            Validation.Required(tag.Key, "input tag key");
            Validation.Length("Input tag key", Validation.MaxInputTagKeyLength, tag.Key);
            Validation.Length("Input tag value", Validation.MaxInputTagValueLength, tag.Value);
        }
    }
}
