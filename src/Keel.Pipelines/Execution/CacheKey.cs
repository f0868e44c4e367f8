using System.Text;
using Keel.Pipelines.Spec;

namespace Keel.Pipelines.Execution;

/// <summary>
/// The identity of a step's work: SHA-256 over its command and env as written, the params it uses, its declared
/// outputs and the content digests of its inputs. Paths that differ per run (work directories, the data cache)
/// are left out, so an unchanged step in a new pipeline run has the same key.
/// </summary>
internal static class CacheKey
{
    private const string Version = "keel-step-cache/1";

    public static string Compute(StepSpec step, IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, string> inputDigests)
    {
        var text = new StringBuilder(Version).Append('\n');
        Section(text, "command", step.Command.Select((part, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), part)));
        Section(text, "params", parameters.Select(p => (p.Key, p.Value)));
        Section(text, "env", step.Env.Select(e => (e.Key, e.Value)));
        Section(text, "inputs", inputDigests.Select(i => (i.Key, i.Value)));
        Section(text, "outputs", step.Outputs.Select(o => (o.Key, o.Value)));
        return Digests.OfText(text.ToString());
    }

    // Length-prefixed, so no choice of names or values can make two different steps serialize alike.
    private static void Section(StringBuilder text, string name, IEnumerable<(string Key, string Value)> entries)
    {
        text.Append(name).Append('\n');
        foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(key.Length).Append(':').Append(key).Append(value.Length).Append(':').Append(value).Append('\n');
        }
    }
}
