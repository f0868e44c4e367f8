using Keel.Core.Artifacts;
using Keel.Core.Tracking;

namespace Keel.Core.Registry;

/// <summary>
/// The URIs MLflow clients use to name model files: <c>models:/name/3</c>, <c>models:/name@alias</c>,
/// <c>models:/name/Production</c> (latest in a stage), <c>models:/name/latest</c>, <c>runs:/run_id/path</c>
/// and the proxy's <c>mlflow-artifacts:/path</c>. Parsing only; <see cref="RegistryStore.ResolveArtifactUriAsync"/>
/// turns one into the location the artifact proxy serves.
/// </summary>
internal abstract record ModelUri
{
    public const string ModelsScheme = "models:/";
    public const string RunsScheme = "runs:/";

    /// <summary>A specific version: <c>models:/name/3</c>.</summary>
    public sealed record ModelVersion(string Name, long Version) : ModelUri;

    /// <summary><c>models:/name@alias</c>.</summary>
    public sealed record ModelAlias(string Name, string Alias) : ModelUri;

    /// <summary>The latest version in a stage (<c>models:/name/Staging</c>), or overall when Stage is null (<c>models:/name/latest</c>).</summary>
    public sealed record ModelStage(string Name, string? Stage) : ModelUri;

    /// <summary><c>runs:/run_id/path</c>: a path under a run's artifact root.</summary>
    public sealed record RunArtifact(string RunId, string Path) : ModelUri;

    /// <summary><c>mlflow-artifacts:/path</c>: a path the artifact proxy serves.</summary>
    public sealed record Proxied(string Path) : ModelUri;

    public static bool IsModelsUri(string uri) => uri.StartsWith(ModelsScheme, StringComparison.Ordinal);

    public static bool IsRunsUri(string uri) => uri.StartsWith(RunsScheme, StringComparison.Ordinal);

    /// <summary>The parsed URI, or null when it uses none of these schemes; malformed URIs of these schemes are INVALID_PARAMETER_VALUE.</summary>
    public static ModelUri? Parse(string uri)
    {
        if (IsModelsUri(uri))
        {
            return ParseModels(uri);
        }

        if (IsRunsUri(uri))
        {
            var rest = uri[RunsScheme.Length..].TrimStart('/');
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var runId = slash < 0 ? rest : rest[..slash];
            if (runId.Length == 0)
            {
                throw KeelException.InvalidParameter(
                    $"Not a proper runs:/ URI: {uri}. Runs URIs must be of the form 'runs:/<run_id>/run-relative/path/to/artifact'");
            }

            return new RunArtifact(runId, ArtifactPath.Normalize(slash < 0 ? "" : rest[(slash + 1)..]));
        }

        return ArtifactUris.ProxyPath(uri) is { } path ? new Proxied(ArtifactPath.Normalize(path)) : null;
    }

    // MLflow's rule (_parse_model_uri): exactly name/suffix or name@alias, where suffix is a version number,
    // a stage or "latest". The name may not contain '/', or the suffix would be ambiguous.
    private static ModelUri ParseModels(string uri)
    {
        var path = uri[ModelsScheme.Length..].Trim('/');
        var at = path.LastIndexOf('@');
        if (at > 0 && !path.Contains('/', StringComparison.Ordinal))
        {
            var alias = path[(at + 1)..];
            return alias.Length > 0 ? new ModelAlias(path[..at], alias) : throw Malformed(uri);
        }

        var parts = path.Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0 || parts[0].Contains('@', StringComparison.Ordinal))
        {
            throw Malformed(uri);
        }

        var (name, suffix) = (parts[0], parts[1]);
        if (suffix.All(char.IsAsciiDigit))
        {
            return long.TryParse(suffix, out var version) ? new ModelVersion(name, version) : throw Malformed(uri);
        }

        return string.Equals(suffix, "latest", StringComparison.OrdinalIgnoreCase)
            ? new ModelStage(name, null)
            : new ModelStage(name, ModelStages.Canonical(suffix));
    }

    private static KeelException Malformed(string uri) => KeelException.InvalidParameter(
        $"Not a proper models:/ URI: {uri}. Models URIs must be of the form 'models:/model_name/suffix' or " +
        "'models:/model_name@alias' where suffix is a model version, stage, or the string 'latest' and where alias is " +
        "a registered model alias. Only one of suffix or alias can be defined at a time.");
}
