namespace Keel.Core.Tracking;

/// <summary>
/// Artifact locations in MLflow's proxied form, so every MLflow client uploads through the server
/// (as with `mlflow server --serve-artifacts`) and the server decides where bytes live.
/// </summary>
internal static class ArtifactUris
{
    public const string Scheme = "mlflow-artifacts:/";

    public static string ForExperiment(long experimentId) => $"{Scheme}{experimentId}";

    public static string ForRun(string experimentLocation, string runId) => $"{experimentLocation.TrimEnd('/')}/{runId}/artifacts";

    /// <summary>The path under the artifact root that a proxied URI names, or null for a location the server does not hold.</summary>
    public static string? ProxyPath(string uri) =>
        uri.StartsWith(Scheme, StringComparison.Ordinal) ? uri[Scheme.Length..].Trim('/') : null;
}
