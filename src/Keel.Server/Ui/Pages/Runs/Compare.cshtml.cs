using System.Globalization;
using Keel.Core;
using Keel.Core.Tracking;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Runs;

/// <summary>
/// Runs side by side: overlaid metric curves (x = step or time, smoothing, log scale; points thinned on the server),
/// parallel coordinates of params → one metric, and a diff table. State: runs, metric (charted keys), x, smooth, log, pc.
/// </summary>
internal sealed class CompareModel(TrackingStore store) : PageModel
{
    public const int MaxRuns = 20;
    private const int MaxCharts = 12;
    private const int MaxParallelParams = 8;

    public static readonly IReadOnlyList<string> Colors = ["#2457c5", "#d92d20", "#039855", "#dc6803", "#7a5af8", "#0e9384", "#c11574", "#475467"];

    public IReadOnlyList<Run> Runs { get; private set; } = [];

    public string? Error { get; private set; }

    public string Axis { get; private set; } = "step";

    public double Smoothing { get; private set; }

    public bool LogScale { get; private set; }

    public IReadOnlyList<string> MetricKeys { get; private set; } = [];

    public IReadOnlyList<string> ChartKeys { get; private set; } = [];

    public IReadOnlyList<string> ParamKeys { get; private set; } = [];

    public string? ParallelMetric { get; private set; }

    public ParallelCoordinates? Parallel { get; private set; }

    public async Task<IActionResult> OnGetAsync(
        [FromQuery(Name = "runs")] string[]? runs, [FromQuery(Name = "metric")] string[]? metric, string? x, string? smooth, string? log, string? pc,
        CancellationToken ct)
    {
        var ids = (runs ?? []).SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();
        if (ids.Count < 1 || ids.Count > MaxRuns)
        {
            Error = $"Select between 1 and {MaxRuns} runs to compare (tick them in an experiment's run table).";
            return Page();
        }

        var loaded = new List<Run>();
        var missing = new List<string>();
        foreach (var id in ids)
        {
            try
            {
                loaded.Add(await store.GetRunAsync(id, ct));
            }
            catch (KeelException e) when (e.ErrorCode is ErrorCodes.ResourceDoesNotExist or ErrorCodes.InvalidParameterValue)
            {
                missing.Add(id);
            }
        }

        if (missing.Count > 0)
        {
            Error = $"No such run: {string.Join(", ", missing)}.";
        }

        Runs = loaded;
        Axis = x == "time" ? "time" : "step";
        Smoothing = double.TryParse(smooth, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? Math.Clamp(s, 0, 0.99) : 0;
        LogScale = log is "1" or "on" or "true";
        MetricKeys = loaded.SelectMany(r => r.Metrics).Select(m => m.Key).Distinct().Order(StringComparer.Ordinal).ToList();
        ParamKeys = loaded.SelectMany(r => r.Params).Select(p => p.Key).Distinct().Order(StringComparer.Ordinal).ToList();
        var chosen = (metric ?? []).Where(MetricKeys.Contains).ToList();
        ChartKeys = chosen.Count > 0 ? chosen : MetricKeys.Take(MaxCharts).ToList();
        ParallelMetric = pc is not null && MetricKeys.Contains(pc) ? pc : MetricKeys.Count > 0 ? MetricKeys[0] : null;
        Parallel = BuildParallel();
        return Page();
    }

    /// <summary>The runs that logged a metric, for its chart.</summary>
    public IReadOnlyList<Run> RunsWith(string key) => Runs.Where(r => r.Metrics.Any(m => m.Key == key)).ToList();

    public static string? ParamOf(Run run, string key) => run.Params.FirstOrDefault(p => p.Key == key)?.Value;

    public static string? MetricOf(Run run, string key) => run.Metrics.FirstOrDefault(m => m.Key == key) is { } m ? UiFormat.Number(m.Value) : null;

    public static bool Differs(IEnumerable<string?> values) => values.Distinct().Skip(1).Any();

    public string Color(Run run) => Colors[Runs.ToList().IndexOf(run) % Colors.Count];

    private ParallelCoordinates? BuildParallel()
    {
        if (ParallelMetric is null || Runs.Count < 2)
        {
            return null;
        }

        // Params that are the same for every run say nothing about the metric; prefer those that vary.
        var varying = ParamKeys.Where(k => Differs(Runs.Select(r => ParamOf(r, k)))).ToList();
        var keys = (varying.Count > 0 ? varying : ParamKeys).Take(MaxParallelParams);
        var columns = keys.Select(k => ($"params.{k}", (IReadOnlyList<string?>)Runs.Select(r => ParamOf(r, k)).ToList())).ToList();
        columns.Add(($"metrics.{ParallelMetric}", Runs.Select(r => r.Metrics.FirstOrDefault(m => m.Key == ParallelMetric) is { } m
            ? m.Value.ToString("R", CultureInfo.InvariantCulture)
            : null).ToList()));
        return ParallelCoordinates.Build(columns, Runs.Select(r => r.Info.RunName).ToList(), Colors);
    }
}
