using Keel.Core.Monitoring;
using Keel.Core.Deployments;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Monitoring;

/// <summary>Alerts newest first, filtered by status, deployment, rule and monitor, all held in the URL.</summary>
internal sealed class AlertsModel(MonitorStore store, DeploymentStore deployments) : PageModel
{
    public const int Max = 500;

    /// <summary>The rules a monitor judges (see MonitorEvaluator), for the rule filter.</summary>
    public static readonly IReadOnlyList<string> Rules = ["dataset_drift", "feature_drift", "data_quality", "row_count", "decay", "staleness"];

    [FromQuery(Name = "status")]
    public string Status { get; set; } = "open";

    [FromQuery(Name = "deployment")]
    public string? Deployment { get; set; }

    [FromQuery(Name = "rule")]
    public string? Rule { get; set; }

    [FromQuery(Name = "monitor")]
    public string? Monitor { get; set; }

    public IReadOnlyList<string> Deployments { get; private set; } = [];

    public IReadOnlyList<MonitorAlert> Alerts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        // Anything but the two statuses shows both, so a hand-edited link still shows alerts rather than an error.
        var status = Status.ToUpperInvariant() is AlertStatus.Open or AlertStatus.Resolved ? Status.ToUpperInvariant() : null;
        Status = status?.ToLowerInvariant() ?? "all";
        Deployments = (await deployments.ListAsync(await Authorisation.ScopeAsync(HttpContext, ct), ct)).Select(d => d.Name).ToList();
        Alerts = await store.AlertsAsync(Empty(Monitor), status, Max, Empty(Deployment), Empty(Rule), await Authorisation.ScopeAsync(HttpContext, ct), ct);
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
