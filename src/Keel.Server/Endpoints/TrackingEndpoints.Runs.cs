using System.Runtime.CompilerServices;
using System.Text.Json;
using Keel.Core.Auth;
using Keel.Core.Tracking;
using Keel.Core.Tracking.Search;
using Keel.Server.Mlflow;
using static Keel.Server.Mlflow.MlflowRequest;

namespace Keel.Server.Endpoints;

internal static partial class TrackingEndpoints
{
    private static void MapRuns(RouteGroupBuilder group)
    {
        group.MapPost("/create", CreateRunAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Edit, Locate.Experiment);
        group.MapGet("/get", GetRunAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Read, Locate.Experiment);
        group.MapPost("/update", UpdateRunAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Edit, Locate.Experiment);
        group.MapPost("/delete", DeleteRunAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Edit, Locate.Experiment);
        group.MapPost("/restore", RestoreRunAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Edit, Locate.Experiment);
        group.MapPost("/search", SearchRunsAsync).RequireSignedIn();
        group.MapPost("/log-metric", LogMetricAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Edit, Locate.Experiment);
        group.MapPost("/log-parameter", LogParamAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Edit, Locate.Experiment);
        group.MapPost("/set-tag", SetTagAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Edit, Locate.Experiment);
        group.MapPost("/delete-tag", DeleteTagAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Edit, Locate.Experiment);
        group.MapPost("/log-batch", LogBatchAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Edit, Locate.Experiment);
        group.MapPost("/log-inputs", LogInputsAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Edit, Locate.Experiment);
        group.MapPost("/log-model", LogModelAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Edit, Locate.Experiment);
    }

    private static async Task<IResult> CreateRunAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<CreateRunRequest>(request, ct);
        var run = await store.CreateRunAsync(body.ExperimentId, body.UserId, body.RunName, body.StartTime, body.Tags.ToKeyValues("tags"), ct);
        return Json(new { run = run.ToMessage() });
    }

    private static async Task<IResult> GetRunAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var query = ReadQuery<RunRequest>(request);
        var run = await store.GetRunAsync(Require(query.Id, "run_id"), ct);
        return Json(new { run = run.ToMessage() });
    }

    private static async Task<IResult> UpdateRunAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<RunRequest>(request, ct);
        var info = await store.UpdateRunAsync(Require(body.Id, "run_id"), body.Status, body.EndTime, body.RunName, ct);
        return Json(new { run_info = info.ToMessage() });
    }

    private static async Task<IResult> DeleteRunAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<RunRequest>(request, ct);
        await store.DeleteRunAsync(Require(body.Id, "run_id"), ct);
        return Json(Empty);
    }

    private static async Task<IResult> RestoreRunAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<RunRequest>(request, ct);
        await store.RestoreRunAsync(Require(body.Id, "run_id"), ct);
        return Json(Empty);
    }

    private static async Task<IResult> LogMetricAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<LogMetricRequest>(request, ct);
        var metric = new Metric(Require(body.Key, "key"), Require(body.Value, "value"), Require(body.Timestamp, "timestamp"), body.Step ?? 0);
        await store.LogMetricAsync(Require(body.Id, "run_id"), metric, ct);
        return Json(Empty);
    }

    private static async Task<IResult> LogParamAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<RunRequest>(request, ct);
        await store.LogParamAsync(Require(body.Id, "run_id"), new KeyValue(Require(body.Key, "key"), Require(body.Value, "value")), ct);
        return Json(Empty);
    }

    private static async Task<IResult> SetTagAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<RunRequest>(request, ct);
        await store.SetTagAsync(Require(body.Id, "run_id"), new KeyValue(Require(body.Key, "key"), body.Value ?? ""), ct);
        return Json(Empty);
    }

    private static async Task<IResult> DeleteTagAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<RunRequest>(request, ct);
        await store.DeleteTagAsync(Require(body.Id, "run_id"), Require(body.Key, "key"), ct);
        return Json(Empty);
    }

    private static async Task<IResult> LogBatchAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<LogBatchRequest>(request, ct);
        var metrics = (body.Metrics ?? []).Select(m => new Metric(
            Require(m.Key, "metrics.key"), Require(m.Value, "metrics.value"), Require(m.Timestamp, "metrics.timestamp"), m.Step ?? 0)).ToList();
        await store.LogBatchAsync(Require(body.RunId, "run_id"), metrics, body.Params.ToKeyValues("params"), body.Tags.ToKeyValues("tags"), ct);
        return Json(Empty);
    }

    private static async Task<IResult> LogInputsAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<LogInputsRequest>(request, ct);
        var inputs = (body.Datasets ?? []).Select(d =>
        {
            var ds = Require(d.Dataset, "datasets.dataset");
            return new DatasetInput(d.Tags.ToKeyValues("datasets.tags"),
                new Dataset(ds.Name ?? "", ds.Digest ?? "", ds.SourceType ?? "", ds.Source ?? "", ds.Schema, ds.Profile));
        }).ToList();
        await store.LogInputsAsync(Require(body.RunId, "run_id"), inputs, ct);
        return Json(Empty);
    }

    private static async Task<IResult> LogModelAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<RunRequest>(request, ct);
        await store.LogModelAsync(Require(body.Id, "run_id"), Require(body.ModelJson, "model_json"), ct);
        return Json(Empty);
    }

    private static void MapMetrics(RouteGroupBuilder group)
    {
        group.MapGet("/get-history", GetMetricHistoryAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Read, Locate.Experiment);
        group.MapGet("/get-history-bulk", GetMetricHistoryBulkAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Read, Locate.Experiment);
        group.MapGet("/get-history-bulk-interval", GetMetricHistoryBulkIntervalAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Read, Locate.Experiment);
    }

    private static readonly JsonEncodedText MetricsProperty = JsonEncodedText.Encode("metrics");
    private static readonly JsonEncodedText KeyProperty = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText ValueProperty = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText TimestampProperty = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText StepProperty = JsonEncodedText.Encode("step");

    /// <summary>
    /// Streams the history straight from the database cursor into the response, so a history of
    /// 100,000 points is never materialised as objects or a DOM.
    /// </summary>
    private static async Task GetMetricHistoryAsync(HttpContext http, TrackingStore store, CancellationToken ct)
    {
        var query = ReadQuery<MetricHistoryRequest>(http.Request);
        if (query.MaxResults is { } max)
        {
            Validation.MaxResults(max);
        }

        var offset = PageToken.Decode(query.PageToken);
        var limit = (int?)query.MaxResults;
        var key = Require(query.MetricKey, "metric_key");
        // One extra point tells whether another page exists. Opening first surfaces "run not found" before any byte is written.
        await using var history = await store.OpenMetricHistoryAsync(Require(query.Id, "run_id"), key, offset, limit + 1, ct);

        http.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter);
        var encodedKey = JsonEncodedText.Encode(key);
        writer.WriteStartObject();
        var written = 0;
        var more = false;
        while (WritePoints(writer, history, encodedKey, ref written, limit, ref more))
        {
            await writer.FlushAsync(ct);
        }

        if (written > 0)
        {
            writer.WriteEndArray();
        }

        if (more)
        {
            writer.WriteString("next_page_token", PageToken.Encode(offset + written));
        }

        writer.WriteEndObject();
        await writer.FlushAsync(ct);
    }

    /// <summary>
    /// Writes points until the buffer holds 64 KB (true: flush and call again) or the history or page
    /// ends (false). A plain loop in a synchronous method: inside the async handler the same loop was
    /// re-jitted mid-request into code half as fast. Compiled optimized from the first call, so the
    /// first requests do not pay for tiering on the loop that does all the work.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool WritePoints(Utf8JsonWriter writer, MetricHistoryReader history, JsonEncodedText key, ref int written, int? limit, ref bool more)
    {
        while (writer.BytesPending < 64 * 1024)
        {
            if (!history.Read())
            {
                return false;
            }

            if (written == limit)
            {
                more = true;
                return false;
            }

            if (written == 0)
            {
                writer.WriteStartArray(MetricsProperty);
            }

            writer.WriteStartObject();
            writer.WriteString(KeyProperty, key);
            WriteDouble(writer, history.Value);
            writer.WriteNumber(TimestampProperty, history.Timestamp);
            writer.WriteNumber(StepProperty, history.Step);
            writer.WriteEndObject();
            written++;
        }

        return true;
    }

    // Protobuf's JSON mapping writes non-finite doubles as strings.
    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(ValueProperty, value);
        }
        else
        {
            writer.WriteString(ValueProperty, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static async Task<IResult> GetMetricHistoryBulkAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var query = ReadQuery<MetricHistoryRequest>(request, "run_id");
        var runIds = request.Query["run_id"].Where(r => !string.IsNullOrEmpty(r)).Select(r => r!).ToList();
        var key = Require(query.MetricKey, "metric_key");
        var max = (int)(query.MaxResults ?? 25000);
        var metrics = new List<MetricWithRunId>();
        foreach (var runId in runIds)
        {
            foreach (var m in await store.ReadMetricHistoryAsync(runId, key, 0, max - metrics.Count, ct))
            {
                metrics.Add(new MetricWithRunId(m.Key, m.Value, m.Timestamp, m.Step, runId));
            }
        }

        return Json(new { metrics });
    }

    private static async Task<IResult> GetMetricHistoryBulkIntervalAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var query = ReadQuery<MetricHistoryRequest>(request, "run_ids");
        var max = query.MaxResults ?? 320;
        if (max is <= 0 or > 2500)
        {
            throw Keel.Core.KeelException.InvalidParameter($"max_results must be between 1 and 2500, got {max}.");
        }

        var points = await store.ReadMetricIntervalAsync(query.RunIds ?? [], query.MetricKey, query.StartStep, query.EndStep, (int)max, ct);
        return Json(new { metrics = points.Select(p => new MetricWithRunId(p.Metric.Key, p.Metric.Value, p.Metric.Timestamp, p.Metric.Step, p.RunId)).ToList() });
    }
}
