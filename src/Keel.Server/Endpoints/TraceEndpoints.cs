using Keel.Core.Auth;
using Keel.Core.Trace;

namespace Keel.Server.Endpoints;

/// <summary>
/// GET /api/keel/v1/trace/predictions/{id}: what produced one answer — the deployment revision that served it, the
/// model version with its alias and stage history, the source run with its params and metrics, and the data versions
/// that run was trained on. A Keel route: ProblemDetails errors, every field present (null or []).
/// </summary>
internal static class TraceEndpoints
{
    public static IEndpointRouteBuilder MapTraceEndpoints(this IEndpointRouteBuilder app)
    {
        // Workspace read: a trace spans a deployment, a model and a run, so no single grant decides it.
        app.MapGet("/api/keel/v1/trace/predictions/{id}", TraceAsync).WithTags("Trace").RequireKeelPermission(Permission.Read);
        return app;
    }

    private static async Task<IResult> TraceAsync(string id, PredictionTracer tracer, CancellationToken ct)
    {
        var trace = await tracer.TraceAsync(id, ct);
        return Results.Json(
            new TraceMessage(
                PredictionEndpoints.ToMessage(trace.Prediction),
                trace.Revision is { } revision ? DeploymentEndpoints.ToMessage(revision) : null,
                trace.Card?.ToMessage(),
                trace.DataVersions.Select(d => d.ToMessage()).ToList()),
            LineageMessageMapping.Json);
    }

    private sealed record TraceMessage(
        PredictionEndpoints.PredictionMessage Prediction,
        DeploymentEndpoints.RevisionMessage? DeploymentRevision,
        ModelCardMessage? ModelVersion,
        IReadOnlyList<LineageDataVersionMessage> DataVersions);
}
