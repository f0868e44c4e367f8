using Keel.Core;
using Keel.Core.Deployments;
using Keel.Core.Registry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Models;

/// <summary>A model version's card (description, intended use, limitations, signature, history) and its lineage: data → run → version → deployments.</summary>
internal sealed class VersionModel(ModelLineageReader lineage, DeploymentStore deployments) : PageModel
{
    public ModelCard Card { get; private set; } = null!;

    public IReadOnlyList<ServingRole> Deployments { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string name, string version, CancellationToken ct)
    {
        try
        {
            Card = await lineage.GetCardAsync(name, version, ct);
        }
        catch (KeelException e) when (e.ErrorCode is ErrorCodes.ResourceDoesNotExist or ErrorCodes.InvalidParameterValue)
        {
            return NotFound();
        }

        Deployments = DeploymentRoles.Serving(
            await deployments.ListAsync(await Authorisation.ScopeAsync(HttpContext, ct), ct), Card.Version.Name, Card.Version.Version);
        return Page();
    }
}
