using Keel.Core;
using Keel.Core.Registry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Models;

/// <summary>One registered model: description, tags, aliases and every version with its stage.</summary>
internal sealed class ModelModel(RegistryStore registry) : PageModel
{
    public RegisteredModel Registered { get; private set; } = null!;

    public IReadOnlyList<ModelVersion> Versions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken ct)
    {
        try
        {
            Registered = await registry.GetRegisteredModelAsync(name, ct);
        }
        catch (KeelException e) when (e.ErrorCode == ErrorCodes.ResourceDoesNotExist)
        {
            return NotFound();
        }

        Versions = await RegistryQueries.VersionsAsync(registry, name, ct);
        return Page();
    }
}
