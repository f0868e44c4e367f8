using System.Globalization;
using System.Text.RegularExpressions;
using Keel.Core.Tracking;

namespace Keel.Core.Registry;

/// <summary>MLflow's model registry rules (mlflow/utils/validation.py), with its limits and messages.</summary>
internal static partial class RegistryValidation
{
    public const int MaxTagKeyLength = 250;
    public const int MaxTagValueLength = 5000;
    public const int MaxAliasLength = 255;

    [GeneratedRegex(@"^[\w\-]*$")]
    private static partial Regex AliasCharacters();

    // A version-like alias ("v3") would be ambiguous with MLflow's version references.
    [GeneratedRegex(@"^[vV]\d+$")]
    private static partial Regex VersionLikeAlias();

    /// <summary>Names are only required to be non-empty, as in MLflow; they are case-sensitive.</summary>
    public static string ModelName(string? name) => Validation.Required(name, "name");

    public static string NewModelName(string? name) => Validation.Required(name, "new_name");

    public static long Version(string? version)
    {
        var required = Validation.Required(version, "version");
        return long.TryParse(required, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw KeelException.InvalidParameter($"Parameter 'version' must be an integer, got '{version}'.");
    }

    public static void Tag(string? key, string? value, string what)
    {
        Validation.TagName(key);
        Validation.Length($"{what} key", MaxTagKeyLength, key!);
        Validation.Length($"{what} value", MaxTagValueLength, value ?? "");
    }

    public static void Tags(IEnumerable<KeyValue> tags, string what)
    {
        foreach (var tag in tags)
        {
            Tag(tag.Key, tag.Value, what);
        }
    }

    public static string Alias(string? alias)
    {
        if (string.IsNullOrEmpty(alias))
        {
            throw KeelException.InvalidParameter("Registered model alias name cannot be empty.");
        }

        if (!AliasCharacters().IsMatch(alias))
        {
            throw KeelException.InvalidParameter(
                $"Invalid alias name: '{alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).");
        }

        Validation.Length("Registered model alias name", MaxAliasLength, alias);
        if (string.Equals(alias, "latest", StringComparison.OrdinalIgnoreCase))
        {
            throw KeelException.InvalidParameter("'latest' alias name (case insensitive) is reserved.");
        }

        if (VersionLikeAlias().IsMatch(alias))
        {
            throw KeelException.InvalidParameter($"Version alias name '{alias}' is reserved.");
        }

        return alias;
    }

    /// <summary>The last value of each key wins, as MLflow builds its tag dictionary.</summary>
    public static List<KeyValue> Distinct(IReadOnlyList<KeyValue> tags) =>
        tags.GroupBy(t => t.Key, StringComparer.Ordinal).Select(g => g.Last()).ToList();
}
