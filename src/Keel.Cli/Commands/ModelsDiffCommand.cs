using System.CommandLine;
using System.Globalization;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary>
/// <c>keel models diff LEFT RIGHT [--json]</c>: two versions' params, metrics and signatures side by side. Built on the
/// model-card endpoint, which already carries all three, so the server needs no comparison of its own.
/// </summary>
internal sealed class ModelsDiffCommand : KeelCommand
{
    private static readonly Argument<string> LeftArgument = new("LEFT") { Description = $"The first version: {ModelReference.Forms}." };

    private static readonly Argument<string> RightArgument = new("RIGHT") { Description = "The second version, in the same forms." };

    public ModelsDiffCommand()
        : base("diff", "Compare two model versions: params, metrics and signature side by side, with differences marked.")
    {
        Arguments.Add(LeftArgument);
        Arguments.Add(RightArgument);
        Options.Add(GlobalOptions.Json);
    }

    /// <summary>One compared key; <see cref="Change"/> is same, changed, added (only on the right) or removed (only on the left).</summary>
    internal sealed record DiffRow(string Section, string Key, string? Left, string? Right, string Change);

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var leftUri = ModelReference.ParseVersion(parseResult.GetRequiredValue(LeftArgument));
        var rightUri = ModelReference.ParseVersion(parseResult.GetRequiredValue(RightArgument));
        var leftVersion = await client.ResolveModelUriAsync(leftUri.ToString(), cancellationToken);
        var rightVersion = await client.ResolveModelUriAsync(rightUri.ToString(), cancellationToken);
        var left = await client.GetModelCardAsync(leftVersion.Name, leftVersion.Version, cancellationToken);
        var right = await client.GetModelCardAsync(rightVersion.Name, rightVersion.Version, cancellationToken);
        var rows = Compare(left, right);
        var (leftLabel, rightLabel) = (ModelReference.Label(left.Name, left.Version), ModelReference.Label(right.Name, right.Version));

        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(new
            {
                left = leftLabel,
                right = rightLabel,
                @params = rows.Where(r => r.Section == "param").ToList(),
                metrics = rows.Where(r => r.Section == "metric").ToList(),
                signature = rows.Where(r => r.Section == "signature").ToList(),
                differences = rows.Count(r => r.Change != "same"),
            });
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("", "Section", "Key", leftLabel, rightLabel);
        foreach (var row in rows)
        {
            var marker = row.Change switch { "changed" => "≠", "added" => "+", "removed" => "-", _ => "" };
            table.AddRow(new Text(marker), new Text(row.Section), new Text(row.Key), new Text(row.Left ?? "-"), new Text(row.Right ?? "-"));
        }

        output.Console.Write(table);
        var differences = rows.Count(r => r.Change != "same");
        output.Line(differences == 0
            ? "No differences."
            : $"{differences} difference{(differences == 1 ? "" : "s")} (≠ changed, + only in {rightLabel}, - only in {leftLabel}).");
        if (left.Signature is null || right.Signature is null)
        {
            output.Line($"Signature not compared: {(left.Signature is null ? leftLabel : rightLabel)} has none.");
        }

        return ExitCodes.Success;
    }

    internal static List<DiffRow> Compare(ModelCard left, ModelCard right)
    {
        var rows = new List<DiffRow>();
        rows.AddRange(CompareSection("param", left.Params.Select(p => (p.Key, p.Value)), right.Params.Select(p => (p.Key, p.Value))));
        rows.AddRange(CompareSection("metric", left.Metrics.Select(m => (m.Key, Formatting.Number(m.Value))), right.Metrics.Select(m => (m.Key, Formatting.Number(m.Value)))));
        if (left.Signature is not null && right.Signature is not null)
        {
            rows.AddRange(CompareSection("signature", SignatureRows(left.Signature), SignatureRows(right.Signature)));
        }

        return rows;
    }

    /// <summary>A signature as key/value pairs: <c>inputs.distance</c> → <c>double</c>, unnamed fields by position.</summary>
    internal static IEnumerable<(string Key, string Value)> SignatureRows(ModelCardSignature signature) =>
        Fields("inputs", signature.Inputs).Concat(Fields("outputs", signature.Outputs)).Concat(Fields("params", signature.Params));

    private static IEnumerable<(string Key, string Value)> Fields(string part, IReadOnlyList<SignatureField> fields) =>
        fields.Select((f, i) => (
            f.Name is null ? string.Create(CultureInfo.InvariantCulture, $"{part}[{i}]") : $"{part}.{f.Name}",
            f.Required ? f.Type : f.Type + " (optional)"));

    private static IEnumerable<DiffRow> CompareSection(string section, IEnumerable<(string Key, string Value)> left, IEnumerable<(string Key, string Value)> right)
    {
        var l = left.ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal);
        var r = right.ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal);
        foreach (var key in l.Keys.Union(r.Keys).Order(StringComparer.Ordinal))
        {
            var (a, b) = (l.GetValueOrDefault(key), r.GetValueOrDefault(key));
            var change = a is null ? "added" : b is null ? "removed" : a == b ? "same" : "changed";
            yield return new DiffRow(section, key, a, b, change);
        }
    }
}
