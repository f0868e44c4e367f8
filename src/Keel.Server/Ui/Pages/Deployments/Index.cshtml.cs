using Keel.Core.Deployments;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Deployments;

internal sealed class DeploymentsModel(DeploymentStore store) : PageModel
{
    public IReadOnlyList<Deployment> Deployments { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Deployments = await store.ListAsync(await Authorisation.ScopeAsync(HttpContext, ct), ct);
}
