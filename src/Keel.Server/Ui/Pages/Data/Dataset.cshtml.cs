using Keel.Core;
using Keel.Core.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Data;

internal sealed class DatasetModel(DataStore store) : PageModel
{
    public string Name { get; private set; } = "";

    public IReadOnlyList<DataVersion> Versions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken ct)
    {
        Name = name;
        try
        {
            Versions = (await store.ListVersionsAsync(name, ct)).OrderByDescending(v => v.Version).ToList();
        }
        catch (KeelException e) when (e.ErrorCode is ErrorCodes.ResourceDoesNotExist or ErrorCodes.InvalidParameterValue)
        {
            return NotFound();
        }

        return Page();
    }
}
