using Keel.Core.Auth;
using System.Globalization;
using System.Text.Json;
using Keel.Core;
using Keel.Core.Data;
using Keel.Core.Deployments;
using Keel.Core.Monitoring;
using Keel.Core.Predictions;
using Keel.Server.Mlflow;
using Monitor = Keel.Core.Monitoring.Monitor;

namespace Keel.Server.Endpoints;

/// <summary>
/// Monitors and their window reports, ground-truth feedback, predictions of models served elsewhere, and alerts.
/// Keel's own routes, so errors are ProblemDetails.
/// </summary>
internal static class MonitoringEndpoints
{
    public static IEndpointRouteBuilder MapMonitoringEndpoints(this IEndpointRouteBuilder app)
    {
        var monitors = app.MapGroup("/api/keel/v1/monitors").WithTags("Monitoring");
        monitors.MapPost("", CreateAsync).RequireKeelPermission(ResourceKind.Deployment, Permission.Edit, Locate.MonitorDeployment);
        monitors.MapGet("", async (HttpContext http, MonitorStore store, CancellationToken ct) =>
            Results.Json(new { monitors = await store.ListAsync(await Authorisation.ScopeAsync(http, ct), ct) }, MlflowJson.Options)).RequireSignedIn();
        monitors.MapGet("/{name}", async (string name, MonitorStore store, CancellationToken ct) =>
            Results.Json(new { monitor = await store.GetAsync(name, ct) }, MlflowJson.Options)).RequireKeelPermission(ResourceKind.Deployment, Permission.Read, Locate.MonitorDeployment);
        monitors.MapPost("/{name}/evaluate", async (string name, MonitorStore store, MonitorEvaluator evaluator, CancellationToken ct) =>
        {
            var computed = await evaluator.EvaluateAsync(await store.GetAsync(name, ct), ct);
            var latest = await store.ReportsAsync(name, null, 1, ct);
            return Results.Json(new { computed_windows = computed, latest = latest.Select(ToMessage).FirstOrDefault() }, MlflowJson.Options);
        }).RequireKeelPermission(ResourceKind.Deployment, Permission.Edit, Locate.MonitorDeployment);
        monitors.MapGet("/{name}/reports", async (string name, HttpRequest request, MonitorStore store, CancellationToken ct) =>
        {
            var reports = await store.ReportsAsync(name, RegistryEndpoints.OptionalLong(request, "before"),
                RegistryEndpoints.OptionalLong(request, "max_results") ?? 100, ct);
            return Results.Json(new { reports = reports.Select(r => ToMessage(r) with { Report = null }).ToList() }, MlflowJson.Options);
        }).RequireKeelPermission(ResourceKind.Deployment, Permission.Read, Locate.MonitorDeployment);
        monitors.MapGet("/{name}/reports/latest", async (string name, MonitorStore store, CancellationToken ct) =>
            (await store.ReportsAsync(name, null, 1, ct)) is [var latest]
                ? Results.Json(new { report = ToMessage(latest) }, MlflowJson.Options)
                : throw KeelException.NotFound($"Monitor '{name}' has no report yet.")).RequireKeelPermission(ResourceKind.Deployment, Permission.Read, Locate.MonitorDeployment);
        monitors.MapGet("/{name}/reports/{window:long}", async (string name, long window, MonitorStore store, CancellationToken ct) =>
            Results.Json(new { report = ToMessage(await store.ReportAsync(name, window, ct)) }, MlflowJson.Options)).RequireKeelPermission(ResourceKind.Deployment, Permission.Read, Locate.MonitorDeployment);

        app.MapGet("/api/keel/v1/alerts", async (HttpRequest request, MonitorStore store, CancellationToken ct) =>
        {
            string? Query(string key) => request.Query[key].ToString() is { Length: > 0 } value ? value : null;
            var alerts = await store.AlertsAsync(Query("monitor"), Query("status")?.ToUpperInvariant(),
                RegistryEndpoints.OptionalLong(request, "max_results") ?? 100, Query("deployment"), Query("rule"),
                await Authorisation.ScopeAsync(request.HttpContext, ct), ct);
            return Results.Json(new { alerts }, MlflowJson.Options);
        }).WithTags("Monitoring").RequireSignedIn();

        var deployments = app.MapGroup("/api/keel/v1/deployments").WithTags("Monitoring");
        deployments.MapPost("/{name}/feedback", FeedbackAsync).RequireKeelPermission(ResourceKind.Deployment, Permission.Edit, Locate.Deployment);
        deployments.MapPost("/{name}/predictions", ExternalPredictionsAsync).RequireKeelPermission(ResourceKind.Deployment, Permission.Edit, Locate.Deployment);
        return app;
    }

    /// <summary>POST {"name", "deployment", "reference", "window": "1h" | "every": 10000, "settings": {...}}.</summary>
    private static async Task<IResult> CreateAsync(HttpRequest request, MonitorStore store, DataStore data, CancellationToken ct)
    {
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        var body = document.RootElement;
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw KeelException.InvalidParameter("The body must be a JSON object.");
        }

        var window = Text(body, "window");
        var every = body.TryGetProperty("every", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n) ? n : (long?)null;
        if ((window is null) == (every is null))
        {
            throw KeelException.InvalidParameter("Give exactly one of window (a duration such as 1h) and every (a number of predictions).");
        }

        MonitorSettings settings;
        try
        {
            settings = body.TryGetProperty("settings", out var s) && s.ValueKind == JsonValueKind.Object
                ? s.Deserialize<MonitorSettings>(MonitorSettings.Json)!
                : new MonitorSettings();
        }
        catch (JsonException x)
        {
            throw KeelException.InvalidParameter($"settings: {x.Message}");
        }

        // A reference that does not exist is refused now rather than found missing at every window.
        if (MonitorReference.Parse(Text(body, "reference")) is MonitorReference.DataVersion version)
        {
            await data.GetVersionAsync(version.Name, version.Version, ct);
        }

        var monitor = await store.CreateAsync(new Monitor(
            Text(body, "name") ?? "", Text(body, "deployment") ?? "", Text(body, "reference") ?? "",
            window is null ? WindowKinds.Count : WindowKinds.Time, window is null ? every!.Value : Duration(window), settings, 0), ct);
        return Results.Json(new { monitor }, MlflowJson.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>POST {"labels": [{"prediction_id", "label"}, ...]} or one label: answers how many were accepted and which were rejected, and why.</summary>
    private static async Task<IResult> FeedbackAsync(string name, HttpRequest request, MonitorStore store, CancellationToken ct)
    {
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        var body = document.RootElement;
        IEnumerable<JsonElement> rows = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("labels", out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : body.ValueKind == JsonValueKind.Object && body.TryGetProperty("prediction_id", out _)
                ? [body]
                : throw KeelException.InvalidParameter(
                    "The body must be {\"labels\": [{\"prediction_id\": ..., \"label\": ...}, ...]} or one {\"prediction_id\": ..., \"label\": ...}.");
        var labels = rows.Select(r => r.ValueKind == JsonValueKind.Object
            ? new FeedbackLabel(r.TryGetProperty("prediction_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null,
                r.TryGetProperty("label", out var label) ? label : default)
            : new FeedbackLabel(null, default)).ToList();
        var result = await store.AddLabelsAsync(name, labels, ct);
        return Results.Json(new { accepted = result.Accepted, rejected = result.Rejected }, MlflowJson.Options);
    }

    /// <summary>
    /// Predictions of a model served outside Keel, in the prediction log's shape: each row is logged under this
    /// deployment (a deployment record is created on first use, naming the rows' model) and monitored like Keel's own.
    /// </summary>
    private static async Task<IResult> ExternalPredictionsAsync(
        string name, HttpRequest request, PredictionStore predictions, DeploymentStore deployments, CancellationToken ct)
    {
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        var batch = PredictionEndpoints.ToBatch(document.RootElement).Select(p => p with { Deployment = name, Shadow = false }).ToList();
        if (batch.Count > 0)
        {
            try
            {
                await deployments.GetAsync(name, ct);
            }
            catch (KeelException e) when (e.ErrorCode == ErrorCodes.ResourceDoesNotExist)
            {
                try
                {
                    await deployments.CreateAsync(name, new DeploymentSpec($"models:/{batch[0].ModelName}/{batch[0].ModelVersion}", null), "external", ct);
                }
                catch (KeelException conflict) when (conflict.ErrorCode == ErrorCodes.ResourceAlreadyExists)
                {
                    // Another request (or replica) created it first: the same record.
                }
            }
        }

        var added = await predictions.AppendAsync(batch, ct);
        return Results.Json(new { received = batch.Count, added }, MlflowJson.Options);
    }

    /// <summary>A duration such as 90s, 15m, 1h or 7d.</summary>
    private static long Duration(string text)
    {
        var unit = text.Length > 0 ? text[^1] : ' ';
        var factor = unit switch { 's' => 1000L, 'm' => 60_000L, 'h' => 3_600_000L, 'd' => 86_400_000L, _ => 0L };
        return factor > 0 && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n * factor
            : throw KeelException.InvalidParameter($"window must be a duration such as 90s, 15m, 1h or 7d, but got '{text}'.");
    }

    private static string? Text(JsonElement body, string name) => body.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
        ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw KeelException.InvalidParameter($"{name} must be a string.")
        : null;

    private static ReportMessage ToMessage(MonitorReport r) => new(
        r.WindowIndex, r.RangeStart, r.RangeEnd, r.ComputedTime, r.Rows, r.Labelled, r.DatasetDrift, r.DriftShare, r.Dirty, r.Report);

    private sealed record ReportMessage(
        long Window, long RangeStart, long RangeEnd, long ComputedTime, long Rows, long Labelled, bool DatasetDrift, double DriftShare, bool Dirty,
        JsonElement? Report);
}
