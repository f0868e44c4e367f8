using Keel.Core.Auth;
using Keel.Serving;
using Keel.Serving.Deployments;

namespace Keel.Server.Endpoints;

/// <summary>
/// MLflow's scoring protocol for every deployment, served in-process: <c>POST /deployments/{name}/invocations</c> answers
/// as <c>keel serve --deployment name</c> would (headers, canary split, shadow, prediction log). An unknown deployment
/// is a 404 ProblemDetails; scoring errors keep the scoring protocol's own error body.
/// </summary>
internal static class InvocationEndpoints
{
    public static IEndpointRouteBuilder MapInvocationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/deployments/{name}/invocations", InvokeAsync).WithTags("Serving").RequireKeelPermission(ResourceKind.Deployment, Permission.Use, Locate.Deployment);
        return app;
    }

    private static async Task InvokeAsync(string name, HttpContext http, DeploymentHosts hosts, Scorer scorer) =>
        await scorer.ScoreAsync(http, await hosts.TargetAsync(name, http.RequestAborted));
}
