using System.Globalization;
using System.Text;

namespace Keel.Core.Registry;

/// <summary>Renders a <see cref="ModelCard"/> as GitHub-flavoured Markdown: one heading per section, tables for lists.</summary>
internal static class ModelCardMarkdown
{
    public static string Render(ModelCard card)
    {
        var v = card.Version;
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# {v.Name} version {v.Version}\n\n");
        md.Append(string.IsNullOrWhiteSpace(v.Description) ? "_No description._" : v.Description.Trim()).Append("\n\n");

        Table(md, ["Field", "Value"],
        [
            ["Stage", v.CurrentStage],
            ["Aliases", v.Aliases.Count == 0 ? "-" : string.Join(", ", v.Aliases)],
            ["Source", v.Source],
            ["Run", card.Run is { } r ? $"{r.Info.RunName} ({r.Info.RunId})" : "-"],
            ["Experiment", card.Run is { } e ? $"{e.ExperimentName ?? "-"} ({e.Info.ExperimentId})" : "-"],
            ["Registered by", card.RegisteredBy ?? "-"],
            ["Registered at", Time(card.RegisteredAt)],
        ]);

        FreeText(md, "Intended use", card.IntendedUse, ModelCardTags.IntendedUse);
        FreeText(md, "Limitations", card.Limitations, ModelCardTags.Limitations);

        md.Append("## Signature\n\n");
        if (card.Signature is not { } signature)
        {
            md.Append("_No signature: the version has no MLmodel file with a signature in this server's artifact store._\n\n");
        }
        else
        {
            Fields(md, "Inputs", signature.Inputs);
            Fields(md, "Outputs", signature.Outputs);
            if (signature.Params.Count > 0)
            {
                Fields(md, "Params", signature.Params);
            }
        }

        var run = card.Run;
        md.Append("## Training data\n\n");
        Table(md, ["Dataset", "Digest", "Context", "Source type", "Source"],
            run?.Datasets.Select(d => new[] { d.Name, d.Digest, d.Context ?? "-", d.SourceType, d.Source }).ToList() ?? [],
            run is null ? "_No run: the version was registered from a location outside any run._" : "_The run logged no dataset inputs._");

        md.Append("## Evaluation metrics\n\n");
        Table(md, ["Metric", "Value", "Step"],
            run?.Metrics.Select(m => new[] { m.Key, m.Value.ToString("G6", CultureInfo.InvariantCulture), m.Step.ToString(CultureInfo.InvariantCulture) }).ToList() ?? [],
            "_No metrics._");

        md.Append("## Parameters\n\n");
        Table(md, ["Parameter", "Value"], run?.Params.Select(p => new[] { p.Key, p.Value }).ToList() ?? [], "_No parameters._");

        md.Append("## Stage and alias history\n\n");
        Table(md, ["Time", "Actor", "Change"],
            card.History.Select(h => new[] { Time(h.Time), h.Actor, Change(h, v.Version) }).ToList(), "_No stage or alias changes._");
        return md.ToString().TrimEnd() + "\n";
    }

    /// <summary>What one history entry did, in words, from this version's point of view.</summary>
    public static string Change(VersionHistoryEntry entry, long version) => entry.EventType switch
    {
        RegistryEvents.ModelVersionTransitionedStage => $"stage {entry.FromStage} → {entry.ToStage}",
        RegistryEvents.ModelVersionAliasDeleted => $"alias @{entry.Alias} removed",
        _ when entry.Version != version => $"alias @{entry.Alias} moved to version {entry.Version}",
        _ when entry.PreviousVersion is { } previous => $"alias @{entry.Alias} set (moved from version {previous})",
        _ => $"alias @{entry.Alias} set",
    };

    private static void FreeText(StringBuilder md, string title, string? text, string tag)
    {
        md.Append(CultureInfo.InvariantCulture, $"## {title}\n\n");
        md.Append(string.IsNullOrWhiteSpace(text) ? $"_Not documented. Set the model-version tag `{tag}`._" : text.Trim()).Append("\n\n");
    }

    private static void Fields(StringBuilder md, string title, IReadOnlyList<SignatureField> fields)
    {
        md.Append(CultureInfo.InvariantCulture, $"### {title}\n\n");
        Table(md, ["Name", "Type", "Required"],
            fields.Select(f => new[] { f.Name ?? "-", f.Type, f.Required ? "yes" : "no" }).ToList(), "_None._");
    }

    private static void Table(StringBuilder md, string[] columns, List<string[]> rows, string empty = "")
    {
        if (rows.Count == 0)
        {
            md.Append(empty).Append("\n\n");
            return;
        }

        md.Append("| ").AppendJoin(" | ", columns).Append(" |\n");
        md.Append('|').AppendJoin('|', columns.Select(_ => "---")).Append("|\n");
        foreach (var row in rows)
        {
            md.Append("| ").AppendJoin(" | ", row.Select(Cell)).Append(" |\n");
        }

        md.Append('\n');
    }

    // A pipe would end the cell and a newline the row.
    private static string Cell(string value) =>
        value.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r\n", "<br>", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal);

    private static string Time(long? unixMilliseconds) => unixMilliseconds is { } ms
        ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)
        : "-";
}
