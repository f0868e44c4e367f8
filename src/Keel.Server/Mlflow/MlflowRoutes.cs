using Keel.Core;

namespace Keel.Server.Mlflow;

/// <summary>Where MLflow's protocol lives: its route prefixes, and the answer for a path under them that names no endpoint.</summary>
internal static class MlflowRoutes
{
    public static readonly string[] TrackingPrefixes = ["/api/2.0/mlflow", "/ajax-api/2.0/mlflow"];

    public const string ArtifactsPrefix = "/api/2.0/mlflow-artifacts";

    private static readonly string[] AllPrefixes = [.. TrackingPrefixes, ArtifactsPrefix];

    public static bool Contains(PathString path) =>
        AllPrefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>Unknown paths under MLflow's prefixes get MLflow's ENDPOINT_NOT_FOUND body, as MLflow's server answers them.</summary>
    public static IEndpointRouteBuilder MapMlflowFallbacks(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in AllPrefixes)
        {
            app.Map(prefix + "/{**unknown}", (HttpContext http) => throw new KeelException(
                ErrorCodes.EndpointNotFound, $"No API endpoint {http.Request.Method} {http.Request.Path}")).RequireSignedIn();
        }

        return app;
    }
}
