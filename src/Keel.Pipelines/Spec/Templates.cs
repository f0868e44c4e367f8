using System.Text.RegularExpressions;

namespace Keel.Pipelines.Spec;

/// <summary>
/// <c>${params.NAME}</c>, <c>${inputs.NAME}</c> and <c>${outputs.NAME}</c> in commands, env values and input sources.
/// Other <c>${...}</c> are left alone, so shell variables such as <c>${HOME}</c> keep working.
/// </summary>
internal static partial class Templates
{
    [GeneratedRegex(@"\$\{(params|inputs|outputs)\.([^}]*)\}")]
    private static partial Regex Reference();

    /// <summary>The (kind, name) pairs a text refers to, e.g. ("params", "lr").</summary>
    public static IEnumerable<(string Kind, string Name)> References(string text) =>
        Reference().Matches(text).Select(m => (m.Groups[1].Value, m.Groups[2].Value));

    /// <summary>Replaces each reference with its value; <paramref name="values"/> is keyed by "kind.name".</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> values) =>
        Reference().Replace(text, m => values.TryGetValue($"{m.Groups[1].Value}.{m.Groups[2].Value}", out var value) ? value : m.Value);

    /// <summary>The name as an environment variable suffix: upper case, anything but letters and digits as '_'.</summary>
    public static string EnvName(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_'));
}
