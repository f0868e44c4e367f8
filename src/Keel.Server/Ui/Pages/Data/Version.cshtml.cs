using Keel.Core;
using Keel.Core.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Data;

/// <summary>One dataset version: its files, the profile of each table, and the runs and model versions that used it.</summary>
internal sealed class DataVersionModel(DataStore store) : PageModel
{
    public DataVersionReader View { get; private set; } = null!;

    public DataLineage Lineage { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string name, string version, CancellationToken ct)
    {
        try
        {
            View = await DataVersionReader.ReadAsync(store, name, version, ct);
            Lineage = await store.GetLineageAsync(name, version, ct);
        }
        catch (KeelException e) when (e.ErrorCode is ErrorCodes.ResourceDoesNotExist or ErrorCodes.InvalidParameterValue)
        {
            return NotFound();
        }

        return Page();
    }
}
