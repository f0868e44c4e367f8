using System.Diagnostics.CodeAnalysis;

namespace Keel.Client;

/// <summary>
/// A <c>models:/</c> URI, as MLflow's clients write them: <c>models:/name/3</c> (a version),
/// <c>models:/name@champion</c> (an alias), <c>models:/name/Production</c> (the latest version in a stage) or
/// <c>models:/name/latest</c> (the latest version). <see cref="KeelClient.ResolveModelUriAsync"/> finds the version.
/// </summary>
public sealed record ModelUri
{
    /// <summary>The scheme and separator every model URI starts with.</summary>
    public const string Scheme = "models:/";

    private ModelUri(string name, long? version, string? alias, string? stage)
    {
        Name = name;
        Version = version;
        Alias = alias;
        Stage = stage;
    }

    /// <summary>The registered model's name.</summary>
    public string Name { get; }

    /// <summary>The version number, for <c>models:/name/3</c>.</summary>
    public long? Version { get; }

    /// <summary>The alias, for <c>models:/name@alias</c>.</summary>
    public string? Alias { get; }

    /// <summary>The stage, for <c>models:/name/Production</c>, spelled as in <see cref="ModelStages"/>.</summary>
    public string? Stage { get; }

    /// <summary>True for <c>models:/name/latest</c>: the highest version in any stage.</summary>
    public bool IsLatest => Version is null && Alias is null && Stage is null;

    /// <summary>A URI naming one version.</summary>
    /// <param name="name">The model's name.</param>
    /// <param name="version">The version number.</param>
    /// <returns>The URI <c>models:/name/version</c>.</returns>
    public static ModelUri ForVersion(string name, long version) => new(RequireName(name), version, null, null);

    /// <summary>Parses a <c>models:/</c> URI.</summary>
    /// <param name="uri">The URI.</param>
    /// <returns>The parsed URI.</returns>
    /// <exception cref="FormatException">The text is not a <c>models:/</c> URI of one of the four forms.</exception>
    public static ModelUri Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return TryParse(uri, out var parsed)
            ? parsed
            : throw new FormatException(
                $"'{uri}' is not a model URI: use models:/<name>/<version>, models:/<name>@<alias>, models:/<name>/<stage> or models:/<name>/latest.");
    }

    /// <summary>Parses a <c>models:/</c> URI, without throwing.</summary>
    /// <param name="uri">The URI.</param>
    /// <param name="result">The parsed URI, or null when the text is not one.</param>
    /// <returns>True when the text is a model URI.</returns>
    // MLflow's rule (_parse_model_uri): name/suffix or name@alias, where the name has no '/' and the suffix is a
    // version number, a stage or "latest".
    public static bool TryParse(string? uri, [NotNullWhen(true)] out ModelUri? result)
    {
        result = null;
        if (uri is null || !uri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return false;
        }

        var path = uri[Scheme.Length..].Trim('/');
        var at = path.LastIndexOf('@');
        if (at >= 0 && !path.Contains('/', StringComparison.Ordinal))
        {
            if (at == 0 || at == path.Length - 1)
            {
                return false;
            }

            result = new ModelUri(path[..at], null, path[(at + 1)..], null);
            return true;
        }

        var parts = path.Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0 || parts[0].Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        var (name, suffix) = (parts[0], parts[1]);
        if (suffix.All(char.IsAsciiDigit))
        {
            if (!long.TryParse(suffix, System.Globalization.CultureInfo.InvariantCulture, out var version))
            {
                return false;
            }

            result = new ModelUri(name, version, null, null);
            return true;
        }

        if (string.Equals(suffix, "latest", StringComparison.OrdinalIgnoreCase))
        {
            result = new ModelUri(name, null, null, null);
            return true;
        }

        var stage = ModelStages.All.FirstOrDefault(s => string.Equals(s, suffix, StringComparison.OrdinalIgnoreCase));
        result = stage is null ? null : new ModelUri(name, null, null, stage);
        return result is not null;
    }

    /// <summary>The URI's text, such as <c>models:/churn@champion</c>.</summary>
    /// <returns>The URI.</returns>
    public override string ToString() =>
        Scheme + Name + (Alias is not null ? "@" + Alias : "/" + (Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Stage ?? "latest"));

    private static string RequireName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name;
    }
}
