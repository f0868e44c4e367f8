using Keel.Core.Monitoring;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Monitoring;

/// <summary>Every monitor with its latest window's verdicts and its open alerts.</summary>
internal sealed class MonitorsModel(MonitorStore store) : PageModel
{
    internal sealed record Row(Keel.Core.Monitoring.Monitor Monitor, MonitorReport? Latest, WindowReport? Report, int OpenAlerts);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var latest = (await store.LatestReportsAsync(ct)).ToDictionary(r => r.Monitor);
        var open = (await store.AlertsAsync(null, AlertStatus.Open, 1000, null, null, await Authorisation.ScopeAsync(HttpContext, ct), ct)).GroupBy(a => a.Monitor).ToDictionary(g => g.Key, g => g.Count());
        Rows = (await store.ListAsync(await Authorisation.ScopeAsync(HttpContext, ct), ct)).Select(m =>
        {
            var report = latest.GetValueOrDefault(m.Name);
            return new Row(m, report, report is null ? null : MonitorViews.Parse(report), open.GetValueOrDefault(m.Name));
        }).ToList();
    }
}
