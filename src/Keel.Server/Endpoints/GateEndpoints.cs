using Keel.Core;
using Keel.Core.Auth;
using Keel.Core.Gates;
using Keel.Core.Registry;
using Keel.Core.Tracking;
using Keel.Server.Mlflow;

namespace Keel.Server.Endpoints;

/// <summary>
/// Keel's gate check: a gate file's conditions evaluated against a run, optionally recorded on a model version so a
/// protected alias can require it. Keel route, so errors are ProblemDetails with an errorCode.
/// </summary>
internal static class GateEndpoints
{
    public static IEndpointRouteBuilder MapGateEndpoints(this IEndpointRouteBuilder app)
    {
        // Recording a result on a version is an edit; checking alone reads a run, and needs no less.
        app.MapPost("/api/keel/v1/gates/check", CheckAsync).WithTags("Gates").RequireKeelPermission(Permission.Edit);
        return app;
    }

    /// <summary>POST {"run_id", "gate" (the gate file's text), "record_on" ("models:/NAME/VERSION")?}.</summary>
    private static async Task<IResult> CheckAsync(HttpContext http, TrackingStore tracking, RegistryStore registry, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadBodyAsync<GateCheckRequest>(http.Request, ct);
        if (string.IsNullOrWhiteSpace(body.RunId) || string.IsNullOrWhiteSpace(body.Gate))
        {
            throw KeelException.InvalidParameter("Send run_id and gate (the gate file's text).");
        }

        var gate = GateParser.Parse(body.Gate);
        var target = body.RecordOn is null ? null : ModelUri.Parse(body.RecordOn) as ModelUri.ModelVersion
            ?? throw KeelException.InvalidParameter($"record_on must be models:/NAME/VERSION, not '{body.RecordOn}'.");
        var run = await tracking.GetRunAsync(body.RunId, ct);
        var result = GateEvaluator.Evaluate(gate, run.Info.RunId, new GateInputs(
            run.Metrics.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal),
            run.Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal)));
        if (target is not null)
        {
            await registry.RecordGateAsync(target.Name, target.Version.ToString(), result, RequestUser.Of(http), ct);
        }

        return Results.Json(new
        {
            gate = result.Name,
            digest = result.Digest,
            run_id = result.RunId,
            status = result.Status,
            passed = result.Passed,
            conditions = result.Conditions.Select(c => new { c.Line, c.Condition, c.Passed, c.Actual, c.Expected, c.Message }),
            recorded_on = target is null ? null : $"models:/{target.Name}/{target.Version}",
        }, MlflowJson.Options);
    }

    private sealed class GateCheckRequest
    {
        public string? RunId { get; set; }

        public string? Gate { get; set; }

        public string? RecordOn { get; set; }
    }
}
