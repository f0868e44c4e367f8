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
        group.MapPost("", AppendAsync);
        group.MapGet("", ReadAsync);
        return app;
    }

    private static async Task<IResult> AppendAsync(HttpRequest request, PredictionStore store, CancellationToken ct)
    {
        var body = await request.ReadFromJsonAsync<AppendRequest>(MlflowJson.Options, ct)
            ?? throw KeelException.InvalidParameter("The body must be {\"predictions\": [...]}.");
        var batch = (body.Predictions ?? throw KeelException.InvalidParameter("predictions is required.")).Select(ToPrediction).ToList();
        var added = await store.AppendAsync(batch, ct);
        return Results.Json(new { received = batch.Count, added }, MlflowJson.Options);
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

    private static Prediction ToPrediction(PredictionMessage m, int index) => new(
        m.PredictionId ?? throw KeelException.InvalidParameter($"predictions[{index}].prediction_id is required."),
        m.ModelName ?? throw KeelException.InvalidParameter($"predictions[{index}].model_name is required."),
        m.ModelVersion ?? throw KeelException.InvalidParameter($"predictions[{index}].model_version is required."),
        m.Deployment, m.Revision, m.RequestKey, m.Inputs, m.Outputs, m.LatencyMicros ?? 0,
        m.Time ?? throw KeelException.InvalidParameter($"predictions[{index}].time is required."), m.Shadow ?? false);

    private static PredictionMessage ToMessage(Prediction p) => new(
        p.PredictionId, p.ModelName, p.ModelVersion, p.Deployment, p.Revision, p.RequestKey, p.Inputs, p.Outputs, p.LatencyMicros, p.Time, p.Shadow);

    private sealed record AppendRequest(List<PredictionMessage>? Predictions);

    private sealed record PredictionMessage(
        string? PredictionId, string? ModelName, long? ModelVersion, string? Deployment, long? Revision, string? RequestKey,
        JsonElement Inputs, JsonElement Outputs, long? LatencyMicros, long? Time, bool? Shadow);
}
