using System.Globalization;
using Keel.Cli.Commands;
using Keel.Client;
using Keel.Core.Evaluation;
using Spectre.Console;

namespace Keel.Cli.Demo;

internal sealed partial class DemoRunner
{
    public const string EvaluationExperiment = "flights-delay-evaluations";
    public const string GateName = "release";

    // What a team would demand before a model takes traffic: it ranks late flights usefully, and it does so about as
    // well on long-haul flights as on short ones (the monitor later watches exactly that sub-population drift).
    private const string GateText = """
        name: release
        description: A flights-delay model may become the champion only if it ranks well overall and on both hauls.
        conditions:
          - roc_auc >= 0.6
          - max_slice_gap(roc_auc) <= 0.1
        """;

    /// <summary>
    /// Evaluates a registered version on the held-out flights with a haul slice (as <c>keel evaluate</c> does), has
    /// the server check the release gate against that evaluation and record it on the version, and returns whether it
    /// passed. The registered model requires the gate for <see cref="ChampionAlias"/>, so only a passing version can be promoted.
    /// </summary>
    private async Task<bool> EvaluateAndGateAsync(ModelVersion version, CancellationToken ct)
    {
        await client.SetRegisteredModelTagAsync(ModelName, "keel.require_gate." + ChampionAlias, GateName, ct);
        var data = Path.Combine(workDirectory, "held-out.csv");
        await using (var writer = new StreamWriter(data))
        {
            await writer.WriteLineAsync(FlightInput.CsvHeader + ",Haul");
            foreach (var flight in _heldOut)
            {
                await writer.WriteLineAsync($"{FlightInput.From(flight).CsvRow()},{(flight.Distance >= DemoDatasets.LongHaulMiles ? "long" : "short")}");
            }
        }

        var request = new EvaluationRequest(ModelEvaluation.Uri(version), data, "Label", ["Haul"], null,
            new EvaluationSettings(Repeats: 3), EvaluationExperiment, Path.Combine(workDirectory, "evaluation-cache"));
        var evaluation = await ModelEvaluation.RunAsync(client, request, ct);
        var runId = await EvaluationRun.LogAsync(client, request, evaluation, ct);
        await client.RecordGateCheckAsync(runId, GateText, ModelName, version.Version, ct);
        var recorded = (await client.GetModelVersionAsync(ModelName, version.Version, ct)).Tags
            .FirstOrDefault(t => t.Key == "keel.gate." + GateName)?.Value;

        var metrics = evaluation.Result.LoggedMetrics().ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        string Metric(string key) => metrics.TryGetValue(key, out var value) ? value.ToString("F3", CultureInfo.InvariantCulture) : "-";
        console.MarkupLine($"   Evaluated on {_heldOut.Count:N0} held-out flights (run {runId[..8]} in '{EvaluationExperiment}'): roc_auc {Metric("roc_auc")}, " +
            $"f1 {Metric("f1")}, roc_auc short-haul {Metric("slice.Haul.short.roc_auc")} vs long-haul {Metric("slice.Haul.long.roc_auc")} (gap {Metric("slice_gap.Haul.roc_auc")}).");
        console.MarkupLine($"   Gate '{GateName}' (roc_auc >= 0.6, max_slice_gap(roc_auc) <= 0.1): {Markup.Escape(recorded ?? "not recorded")}. " +
            $"Report: ./keel runs show {runId}, artifact evaluation/report.html");
        return recorded == "passed";
    }

    /// <summary>Shows the gate at work: the runner-up was never evaluated, so the server refuses to make it the champion.</summary>
    private async Task ShowRefusedPromotionAsync(ModelVersion runnerUp, CancellationToken ct)
    {
        try
        {
            await client.SetModelAliasAsync(ModelName, ChampionAlias, runnerUp.Version, ct);
            throw new InvalidOperationException($"The server moved @{ChampionAlias} to version {runnerUp.Version}, which has no passed gate.");
        }
        catch (KeelApiException e) when (e.ErrorCode == KeelErrorCodes.InvalidState)
        {
            console.MarkupLine($"   Promoting version {runnerUp.Version} to @{ChampionAlias} is refused: it has no passed '{GateName}' gate.");
        }
    }
}
