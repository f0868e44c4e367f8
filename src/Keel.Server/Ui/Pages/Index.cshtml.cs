using System.Globalization;
using Keel.Core;
using Keel.Core.Deployments;
using Keel.Core.Monitoring;
using Keel.Core.Registry;
using Keel.Core.Tracking;
using Keel.Server.Ui.Pages.Monitoring;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages;

/// <summary>
/// The front page: every deployment with the version(s) it serves, their traffic split and age, its monitors' latest
/// drift and performance verdicts and open alerts; the latest runs.
/// </summary>
internal sealed class OverviewModel(
    DeploymentStore deployments, RegistryStore registry, TrackingStore tracking, MonitorStore monitors, TrafficStore traffic, TimeProvider clock) : PageModel
{
    private const int RecentExperiments = 50;
    private const int RecentRuns = 15;

    internal sealed record Serving(Deployment Deployment, string Role, string Uri, long? Percent, ModelVersion? Version);

    public IReadOnlyList<Serving> Rows { get; private set; } = [];

    public IReadOnlyList<Run> Runs { get; private set; } = [];

    public IReadOnlyDictionary<long, string> ExperimentNames { get; private set; } = new Dictionary<long, string>();

    public long Now { get; private set; }

    /// <summary>Per deployment, each monitor's latest window (null before its first).</summary>
    public IReadOnlyDictionary<string, List<(string Monitor, WindowReport? Report)>> Monitoring { get; private set; } =
        new Dictionary<string, List<(string, WindowReport?)>>();

    public IReadOnlyDictionary<string, int> OpenAlerts { get; private set; } = new Dictionary<string, int>();

    /// <summary>Each deployment's traffic per model version over the last <see cref="TrafficMinutes"/> minutes.</summary>
    public IReadOnlyDictionary<(string Deployment, string Model, long Version), TrafficTotal> Traffic { get; private set; } =
        new Dictionary<(string, string, long), TrafficTotal>();

    public const int TrafficMinutes = 15;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = new List<Serving>();
        foreach (var d in await deployments.ListAsync(await Authorisation.ScopeAsync(HttpContext, ct), ct))
        {
            var canary = d.Latest.Spec.Canary;
            rows.Add(new Serving(d, "primary", d.Latest.Spec.Model, 100 - (canary?.Percent ?? 0), await ResolveAsync(d.Latest.Spec.Model, ct)));
            if (canary is not null)
            {
                rows.Add(new Serving(d, "canary", canary.Model, canary.Percent, await ResolveAsync(canary.Model, ct)));
            }
        }

        Rows = rows;
        Traffic = (await traffic.TotalsSinceAsync(Now - (TrafficMinutes * 60_000L), ct)).ToDictionary(t => (t.Deployment, t.ModelName, t.ModelVersion));
        var latest = (await monitors.LatestReportsAsync(ct)).ToDictionary(r => r.Monitor);
        Monitoring = (await monitors.ListAsync(await Authorisation.ScopeAsync(HttpContext, ct), ct)).GroupBy(m => m.Deployment).ToDictionary(
            g => g.Key, g => g.Select(m => (m.Name, latest.TryGetValue(m.Name, out var r) ? MonitorViews.Parse(r) : null)).ToList());
        OpenAlerts = (await monitors.AlertsAsync(null, AlertStatus.Open, 1000, null, null, await Authorisation.ScopeAsync(HttpContext, ct), ct)).GroupBy(a => a.Deployment).ToDictionary(g => g.Key, g => g.Count());
        var experiments = (await tracking.SearchExperimentsAsync(ViewType.ActiveOnly, null, ["last_update_time DESC"], RecentExperiments, null, await Authorisation.ScopeAsync(HttpContext, ct), ct)).Items;
        ExperimentNames = experiments.ToDictionary(e => e.ExperimentId, e => e.Name);
        if (experiments.Count > 0)
        {
            Runs = (await tracking.SearchRunsAsync(
                experiments.Select(e => e.ExperimentId.ToString(CultureInfo.InvariantCulture)).ToList(), null, ViewType.ActiveOnly, RecentRuns,
                ["attributes.start_time DESC"], null, ct)).Items;
        }
    }

    /// <summary>The version a model URI names now, or null when it names none (a deleted alias, a stage with no version).</summary>
    private async Task<ModelVersion?> ResolveAsync(string uri, CancellationToken ct)
    {
        try
        {
            return ModelUri.Parse(uri) switch
            {
                ModelUri.ModelVersion v => await registry.GetModelVersionAsync(v.Name, v.Version.ToString(CultureInfo.InvariantCulture), ct),
                ModelUri.ModelAlias a => await registry.GetModelVersionByAliasAsync(a.Name, a.Alias, ct),
                ModelUri.ModelStage { Stage: { } stage } s => First(await registry.GetLatestVersionsAsync(s.Name, [stage], ct)),
                ModelUri.ModelStage s => First(await RegistryQueries.VersionsAsync(registry, s.Name, ct)),
                _ => null,
            };
        }
        catch (KeelException)
        {
            return null;
        }
    }

    private static ModelVersion? First(IReadOnlyList<ModelVersion> versions) => versions.Count > 0 ? versions[0] : null;
}
