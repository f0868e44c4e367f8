using Keel.Core;
using Keel.Core.Deployments;
using Keel.Core.Monitoring;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Deployments;

/// <summary>
/// A deployment's revisions with their traffic split, and rolling back to one. The rollback is a POST with an
/// antiforgery token, asked for confirmation in the browser; afterwards the page is shown again (POST-redirect-GET)
/// with the result in the URL.
/// </summary>
internal sealed class DeploymentModel(DeploymentStore store, MonitorStore monitors, TrafficStore traffic, TimeProvider clock) : PageModel
{
    public Deployment Deployment { get; private set; } = null!;

    public IReadOnlyList<DeploymentRevision> Revisions { get; private set; } = [];

    public IReadOnlyList<Keel.Core.Monitoring.Monitor> Monitors { get; private set; } = [];

    public long? RolledBackTo { get; private set; }

    public TrafficCharts Traffic { get; private set; } = null!;

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string name, [FromQuery(Name = "rolled_back_to")] long? rolledBackTo, CancellationToken ct)
    {
        RolledBackTo = rolledBackTo;
        return await LoadAsync(name, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostRollbackAsync(string name, long? to, CancellationToken ct)
    {
        try
        {
            await store.RollbackAsync(name, to, RequestUser.Of(HttpContext), ct);
        }
        catch (KeelException e) when (e.ErrorCode == ErrorCodes.InvalidParameterValue)
        {
            Error = e.Message;
            return await LoadAsync(name, ct) ? Page() : NotFound();
        }
        catch (KeelException e) when (e.ErrorCode == ErrorCodes.ResourceDoesNotExist)
        {
            return NotFound();
        }

        return Redirect($"/deployments/{Uri.EscapeDataString(name)}?rolled_back_to={to}");
    }

    private async Task<bool> LoadAsync(string name, CancellationToken ct)
    {
        try
        {
            Deployment = await store.GetAsync(name, ct);
            Revisions = (await store.RevisionsAsync(name, ct)).OrderByDescending(r => r.Revision).ToList();
            Monitors = await monitors.ListForDeploymentAsync(name, ct);
            var lastMinute = clock.GetUtcNow().ToUnixTimeMilliseconds() / 60_000 * 60_000;
            Traffic = new TrafficCharts(await traffic.ReadAsync(name, TrafficCharts.Since(lastMinute), ct), lastMinute);
            return true;
        }
        catch (KeelException e) when (e.ErrorCode is ErrorCodes.ResourceDoesNotExist or ErrorCodes.InvalidParameterValue)
        {
            return false;
        }
    }
}
