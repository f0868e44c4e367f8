using Keel.Core;
using Keel.Core.Registry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Models;

/// <summary>Two versions of a model side by side: attributes, signature fields, the runs' params and metrics, and tags.</summary>
internal sealed class DiffModel(ModelLineageReader lineage) : PageModel
{
    public string Name { get; private set; } = "";

    public ModelCard A { get; private set; } = null!;

    public ModelCard B { get; private set; } = null!;

    public IReadOnlyList<(string Section, string Key, string? A, string? B)> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string name, string? a, string? b, CancellationToken ct)
    {
        Name = name;
        try
        {
            A = await lineage.GetCardAsync(name, a, ct);
            B = await lineage.GetCardAsync(name, b, ct);
        }
        catch (KeelException e) when (e.ErrorCode is ErrorCodes.ResourceDoesNotExist or ErrorCodes.InvalidParameterValue)
        {
            return NotFound();
        }

        Rows = [.. Attributes(), .. Signature(), .. Pairs("params", c => c.Run?.Params.ToDictionary(p => p.Key, p => p.Value)),
            .. Pairs("metrics", c => c.Run?.Metrics.ToDictionary(m => m.Key, m => UiFormat.Number(m.Value))),
            .. Pairs("tags", c => c.Version.Tags.ToDictionary(t => t.Key, t => t.Value))];
        return Page();
    }

    private IEnumerable<(string, string, string?, string?)> Attributes()
    {
        (string, string, string?, string?) Row(string key, Func<ModelCard, string?> value) => ("version", key, value(A), value(B));
        yield return Row("stage", c => c.Version.CurrentStage);
        yield return Row("aliases", c => string.Join(", ", c.Version.Aliases));
        yield return Row("run", c => c.Run?.Info.RunName);
        yield return Row("source", c => c.Version.Source);
        yield return Row("description", c => c.Version.Description);
        yield return Row("intended use", c => c.IntendedUse);
        yield return Row("datasets", c => c.Run is null ? null : string.Join(", ", c.Run.Datasets.Select(d => d.Source)));
    }

    private IEnumerable<(string, string, string?, string?)> Signature() =>
        Pairs("signature input", c => c.Signature?.Inputs.ToDictionary(f => f.Name ?? "(unnamed)", f => f.Type))
            .Concat(Pairs("signature output", c => c.Signature?.Outputs.ToDictionary(f => f.Name ?? "(unnamed)", f => f.Type)));

    private IEnumerable<(string, string, string?, string?)> Pairs(string section, Func<ModelCard, Dictionary<string, string>?> values)
    {
        var a = values(A) ?? [];
        var b = values(B) ?? [];
        return a.Keys.Union(b.Keys).Order(StringComparer.Ordinal).Select(k => (section, k, a.GetValueOrDefault(k), b.GetValueOrDefault(k)));
    }
}
