using System.Globalization;
using Keel.Core;
using Keel.Core.Deployments;
using Keel.Core.Registry;
using Keel.Core.Tracking;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages;

/// <summary>The front page: every deployment with the version(s) it serves, their traffic split and age; the latest runs.</summary>
internal sealed class OverviewModel(DeploymentStore deployments, RegistryStore registry, TrackingStore tracking, TimeProvider clock) : PageModel
{
    private const int RecentExperiments = 50;
    private const int RecentRuns = 15;

    internal sealed record Serving(Deployment Deployment, string Role, string Uri, long? Percent, ModelVersion? Version);

    public IReadOnlyList<Serving> Rows { get; private set; } = [];

    public IReadOnlyList<Run> Runs { get; private set; } = [];

    public IReadOnlyDictionary<long, string> ExperimentNames { get; private set; } = new Dictionary<long, string>();

    public long Now { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = new List<Serving>();
        foreach (var d in await deployments.ListAsync(ct))
        {
            var canary = d.Latest.Spec.Canary;
            rows.Add(new Serving(d, "primary", d.Latest.Spec.Model, 100 - (canary?.Percent ?? 0), await ResolveAsync(d.Latest.Spec.Model, ct)));
            if (canary is not null)
            {
                rows.Add(new Serving(d, "canary", canary.Model, canary.Percent, await ResolveAsync(canary.Model, ct)));
            }
        }

        Rows = rows;
        var experiments = (await tracking.SearchExperimentsAsync(ViewType.ActiveOnly, null, ["last_update_time DESC"], RecentExperiments, null, ct)).Items;
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
