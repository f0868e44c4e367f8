using Keel.Core.Auth;
using System.Text.Json;
using Keel.Core;
using Keel.Core.Predictions;
using Keel.Server.Mlflow;

namespace Keel.Server.Endpoints;

/// <summary>
/// The prediction log: serving hosts append batches, monitoring reads pages. Keel's own routes, so errors are ProblemDetails.
/// </summary>
internal static class PredictionEndpoints
{
    public static IEndpointRouteBuilder MapPredictionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/keel/v1/predictions").WithTags("Predictions");
        group.MapPost("", AppendAsync).RequireKeelPermission(Permission.Edit);
        group.MapGet("", ReadAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Read, Locate.Model);
        return app;
    }

    // One JsonDocument for the whole batch: the rows' inputs and outputs stay elements of it until they are written,
    // instead of a document (and a copy) per field as binding to JsonElement properties would make.
    private static async Task<IResult> AppendAsync(HttpRequest request, PredictionStore store, CancellationToken ct)
    {
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        var batch = ToBatch(document.RootElement);
        var added = await store.AppendAsync(batch, ct);
        return Results.Json(new { received = batch.Count, added }, MlflowJson.Options);
    }

    /// <summary>The rows of <c>{"predictions": [...]}</c>, as serving hosts send them and as monitoring's endpoint for models served elsewhere reads them; the elements stay in the caller's document.</summary>
    public static List<Prediction> ToBatch(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("predictions", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            throw KeelException.InvalidParameter("The body must be {\"predictions\": [...]}.");
        }

        var batch = new List<Prediction>(rows.GetArrayLength());
        foreach (var row in rows.EnumerateArray())
        {
            batch.Add(ToPrediction(row, batch.Count));
        }

        return batch;
    }

    /// <summary>GET /api/keel/v1/predictions?model=&amp;version=&amp;after=&amp;max_results=: oldest first; next_after continues.</summary>
    private static async Task<IResult> ReadAsync(HttpRequest request, PredictionStore store, CancellationToken ct)
    {
        var model = request.Query["model"].ToString();
        var page = await store.ReadAsync(
            model.Length == 0 ? null : model,
            RegistryEndpoints.OptionalLong(request, "version"),
            RegistryEndpoints.OptionalLong(request, "after"),
            RegistryEndpoints.OptionalLong(request, "max_results"),
            ct);
        return Results.Json(new { predictions = page.Items.Select(ToMessage).ToList(), next_after = page.Next }, MlflowJson.Options);
    }

    private static Prediction ToPrediction(JsonElement row, int index)
    {
        if (row.ValueKind != JsonValueKind.Object)
        {
            throw KeelException.InvalidParameter($"predictions[{index}] must be an object.");
        }

        string? Text(string name) => row.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw Invalid(name, "a string")
            : null;
        long? Number(string name) => row.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw Invalid(name, "an integer")
            : null;
        JsonElement Json(string name) => row.TryGetProperty(name, out var v) ? v : default;
        KeelException Invalid(string name, string what) => KeelException.InvalidParameter($"predictions[{index}].{name} must be {what}.");
        KeelException Missing(string name) => KeelException.InvalidParameter($"predictions[{index}].{name} is required.");

        return new Prediction(
            Text("prediction_id") ?? throw Missing("prediction_id"),
            Text("model_name") ?? throw Missing("model_name"),
            Number("model_version") ?? throw Missing("model_version"),
            Text("deployment"), Number("revision"), Text("request_key"), Json("inputs"), Json("outputs"), Number("latency_micros") ?? 0,
            Number("time") ?? throw Missing("time"),
            row.TryGetProperty("shadow", out var shadow) && shadow.ValueKind == JsonValueKind.True);
    }

    internal static PredictionMessage ToMessage(Prediction p) => new(
        p.PredictionId, p.ModelName, p.ModelVersion, p.Deployment, p.Revision, p.RequestKey, p.Inputs, p.Outputs, p.LatencyMicros, p.Time, p.Shadow);

    internal sealed record PredictionMessage(
        string? PredictionId, string? ModelName, long? ModelVersion, string? Deployment, long? Revision, string? RequestKey,
        JsonElement Inputs, JsonElement Outputs, long? LatencyMicros, long? Time, bool? Shadow);
}
