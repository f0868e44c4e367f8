using Keel.Core;
using Keel.Core.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Data;

/// <summary>
/// Two versions of a dataset: files added, removed and changed (by content digest), and for tables profiled in both,
/// row counts and per-column statistics side by side. Row-level diffs need the data itself: `keel data diff`.
/// </summary>
internal sealed class DataDiffModel(DataStore store) : PageModel
{
    public DataVersionReader A { get; private set; } = null!;

    public DataVersionReader B { get; private set; } = null!;

    public IReadOnlyList<(string Path, string Change, long? SizeA, long? SizeB)> Files { get; private set; } = [];

    public IReadOnlyList<(string Table, string Key, string? A, string? B)> Stats { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string name, string? a, string? b, CancellationToken ct)
    {
        try
        {
            A = await DataVersionReader.ReadAsync(store, name, a, ct);
            B = await DataVersionReader.ReadAsync(store, name, b, ct);
        }
        catch (KeelException e) when (e.ErrorCode is ErrorCodes.ResourceDoesNotExist or ErrorCodes.InvalidParameterValue)
        {
            return NotFound();
        }

        var before = A.Files.ToDictionary(f => f.Path);
        var after = B.Files.ToDictionary(f => f.Path);
        Files = before.Keys.Union(after.Keys).Order(StringComparer.Ordinal).Select(path =>
        {
            var x = before.GetValueOrDefault(path);
            var y = after.GetValueOrDefault(path);
            var change = x is null ? "added" : y is null ? "removed" : x.Digest == y.Digest ? "same" : "changed";
            return (path, change, x?.Size, y?.Size);
        }).ToList();
        Stats = ProfileRows().ToList();
        return Page();
    }

    private IEnumerable<(string, string, string?, string?)> ProfileRows()
    {
        var before = A.Profiles.ToDictionary(p => p.Path);
        foreach (var y in B.Profiles)
        {
            if (before.GetValueOrDefault(y.Path) is not { } x)
            {
                continue;
            }

            yield return (y.Path, "rows", x.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture), y.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var columnsA = x.Columns.ToDictionary(c => c.Name);
            var columnsB = y.Columns.ToDictionary(c => c.Name);
            foreach (var column in columnsA.Keys.Union(columnsB.Keys))
            {
                var ca = columnsA.GetValueOrDefault(column);
                var cb = columnsB.GetValueOrDefault(column);
                yield return (y.Path, column, ca is null ? null : $"{ca.Type}; {ca.Nulls} nulls; {ca.Summary}", cb is null ? null : $"{cb.Type}; {cb.Nulls} nulls; {cb.Summary}");
            }
        }
    }
}
