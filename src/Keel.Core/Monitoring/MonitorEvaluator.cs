using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Keel.Core.Deployments;
using Keel.Core.Registry;
using Microsoft.Extensions.Options;

namespace Keel.Core.Monitoring;

/// <summary>
/// Evaluates a monitor's windows: claims each closed window (or a dirty one) in the database, computes its report
/// (feature and prediction drift, data quality, performance on labelled predictions, decay and staleness) and
/// applies the alert rules. Any replica may run it; the claims make each window computed once.
/// </summary>
internal sealed partial class MonitorEvaluator(
    MonitorStore store, MonitorWindows windows, ReferenceLoader references, ModelLineageReader lineage, RegistryStore registry,
    DeploymentStore deployments, IOptions<MonitoringOptions> options, TimeProvider clock)
{
    private static readonly JsonSerializerOptions ReportJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Computes what is due for the monitor now; returns the windows it computed.</summary>
    public async Task<IReadOnlyList<long>> EvaluateAsync(Monitor monitor, CancellationToken ct)
    {
        var o = options.Value;
        var computed = new List<long>();
        foreach (var window in await store.StaleWindowsAsync(monitor.Name, o.Lease, ct))
        {
            if (await store.ReclaimAsync(monitor.Name, window, o.Lease, ct))
            {
                await ComputeAsync(monitor, window, ct);
                computed.Add(window);
            }
        }

        var next = await store.LastWindowAsync(monitor.Name, ct) is { } last ? last + 1 : await windows.FirstAsync(monitor, ct);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < o.MaxWindowsPerRound && await windows.IsClosedAsync(monitor, next, now, o.ClosingDelay, ct); i++, next++)
        {
            var (start, end) = monitor.WindowKind == WindowKinds.Time ? (next * monitor.WindowSize, (next + 1) * monitor.WindowSize) : (0L, 0L);
            if (await store.ClaimNewAsync(monitor.Name, next, start, end, ct))
            {
                await ComputeAsync(monitor, next, ct);
                computed.Add(next);
            }
        }

        return computed;
    }

    private async Task ComputeAsync(Monitor monitor, long window, CancellationToken ct)
    {
        try
        {
            await ComputeClaimedAsync(monitor, window, ct);
        }
        catch
        {
            // CancellationToken.None: a shutdown must not leave the claim to lapse only after the lease.
            await store.ReleaseAsync(monitor.Name, window, CancellationToken.None);
            throw;
        }
    }

    private async Task ComputeClaimedAsync(Monitor monitor, long window, CancellationToken ct)
    {
        var rows = await windows.ReadAsync(monitor, window, ct);
        var (start, end) = monitor.WindowKind == WindowKinds.Time
            ? (window * monitor.WindowSize, (window + 1) * monitor.WindowSize)
            : rows.Count == 0 ? (0L, 0L) : (rows[0].Seq, rows[^1].Seq + 1);
        var model = rows.GroupBy(r => (r.ModelName, r.ModelVersion)).OrderByDescending(g => g.Count()).Select(g => ((string, long)?)g.Key).FirstOrDefault()
            ?? await ServedVersionAsync(monitor.Deployment, ct);
        var card = model is { } m ? await CardAsync(m.Item1, m.Item2, ct) : null;
        var outcomes = new List<RuleOutcome>();
        if (Staleness(monitor, card) is { } stale)
        {
            outcomes.Add(stale);
        }

        if (monitor.Settings.MinRows is { } minRows && monitor.WindowKind == WindowKinds.Time)
        {
            outcomes.Add(new RuleOutcome("row_count", "", rows.Count < minRows,
                $"{rows.Count} predictions in the window (at least {minRows} expected)", rows.Count, minRows));
        }

        WindowReport report;
        if (rows.Count == 0)
        {
            report = new WindowReport(monitor.Name, monitor.Deployment, window, monitor.WindowKind, start, end, 0, true,
                "No predictions in this window: nothing to test.", model?.Item1, model?.Item2, null, null, null, null, null);
        }
        else
        {
            report = await DriftAsync(monitor, window, start, end, rows, model, card, outcomes, ct);
        }

        await store.CompleteAsync(monitor.Name, window, start, end, rows.Count, report.Performance?.Labelled ?? 0,
            report.Drift?.DatasetDrift ?? false, report.Drift?.DriftShare ?? 0, JsonSerializer.Serialize(report, ReportJson), ct);
        await store.ApplyAlertsAsync(monitor, window, outcomes, ct);
    }

    private async Task<WindowReport> DriftAsync(
        Monitor monitor, long window, long start, long end, IReadOnlyList<WindowRow> rows, (string, long)? model, ModelCard? card,
        List<RuleOutcome> outcomes, CancellationToken ct)
    {
        var settings = monitor.Settings;
        var driftOptions = settings.DriftOptions();
        var (reference, referenceUri) = await references.LoadAsync(MonitorReference.Parse(monitor.Reference)!, model?.Item1, model?.Item2, ct);

        // Features are the signature's inputs when the version has a signature, else every reference column the
        // predictions carry: a label or id column in the reference data is not a feature.
        var current = MonitorWindows.Table(rows.Select(r => r.Inputs), "input");
        var signatureInputs = card?.Signature?.Inputs.Select(f => f.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var features = reference.Columns
            .Where(c => signatureInputs is { Count: > 0 } ? signatureInputs.Contains(c.Name) : current.Column(c.Name) is not null)
            .ToList();
        var featureTable = new DriftTable(reference.Rows, features);
        var typed = ColumnTyping.Prepare(featureTable, current, driftOptions);
        var drift = DriftReporter.Compute(typed.Samples, featureTable.Rows, current.Rows, driftOptions, typed.MissingColumns, typed.UnexpectedColumns);

        var outputs = MonitorWindows.Table(rows.Select(r => r.Outputs), "prediction");
        var (predictionDrift, predictionReference) = await PredictionDriftAsync(monitor, window, reference, referenceUri, outputs, driftOptions, ct);

        var labelled = rows.Where(r => r.Label is not null).Select(r => (r.Label!.Value, r.Outputs)).ToList();
        var performance = Performance.Compute(labelled, settings);
        var decay = Decay(settings, performance, card);

        outcomes.Add(new RuleOutcome("dataset_drift", "", drift.DatasetDrift,
            $"{drift.DriftedColumns} of {drift.TestedColumns} features drifted (share {drift.DriftShare:0.###}, threshold {drift.DatasetDriftThreshold})",
            drift.DriftShare, drift.DatasetDriftThreshold));
        foreach (var column in drift.Columns.Where(c => c.Drifted is not null))
        {
            outcomes.Add(new RuleOutcome("feature_drift", column.Column, column.Drifted == true,
                $"{column.Column}: {column.Test} {(column.PValue is { } p ? "p-value " + Format(p) : "statistic " + Format(column.Statistic))} ({column.Rule})",
                column.PValue ?? column.Statistic, column.Threshold));
        }

        outcomes.Add(Quality(drift, settings));
        if (decay is not null)
        {
            outcomes.Add(new RuleOutcome("decay", "", decay.Decayed,
                $"{decay.WindowMetric} {Format(decay.Window)} on {performance!.Labelled} labels vs {decay.RunMetric} {Format(decay.Baseline)} on the source run " +
                $"(allowed drop {decay.Threshold})", decay.Window, decay.Threshold));
        }

        return new WindowReport(monitor.Name, monitor.Deployment, window, monitor.WindowKind, start, end, rows.Count, false, null,
            model?.Item1, model?.Item2, referenceUri, drift, predictionReference is null ? null : new PredictionDrift(predictionReference, predictionDrift!),
            performance, decay);
    }

    /// <summary>
    /// Outputs are compared with the reference's columns of the same names when it has them all (a reference that
    /// holds the model's own predictions), otherwise with the monitor's first window, its baseline.
    /// </summary>
    private async Task<(DriftReport? Report, string? Against)> PredictionDriftAsync(
        Monitor monitor, long window, DriftTable reference, string referenceUri, DriftTable outputs, DriftOptions driftOptions, CancellationToken ct)
    {
        DriftTable baseline;
        string against;
        if (outputs.Columns.All(c => reference.Column(c.Name) is not null))
        {
            baseline = new DriftTable(reference.Rows, outputs.Columns.Select(c => reference.Column(c.Name)!).ToList());
            against = referenceUri;
        }
        else
        {
            var first = await windows.FirstAsync(monitor, ct);
            var firstReport = await store.ReportsAsync(monitor.Name, null, 1000, ct);
            first = firstReport.Where(r => r.Rows > 0).Select(r => r.WindowIndex).DefaultIfEmpty(first).Min();
            if (first >= window)
            {
                return (null, null);
            }

            baseline = MonitorWindows.Table((await windows.ReadAsync(monitor, first, ct)).Select(r => r.Outputs), "prediction");
            against = $"window {first.ToString(CultureInfo.InvariantCulture)}";
        }

        var typed = ColumnTyping.Prepare(baseline, outputs, driftOptions);
        return (DriftReporter.Compute(typed.Samples, baseline.Rows, outputs.Rows, driftOptions, typed.MissingColumns, typed.UnexpectedColumns), against);
    }

    private static DecayCheck? Decay(MonitorSettings settings, WindowPerformance? performance, ModelCard? card)
    {
        if (performance is null || settings.Metric is not { } key
            || card?.Run?.Metrics.FirstOrDefault(m => m.Key == key) is not { } runMetric)
        {
            return null;
        }

        var metric = settings.WindowMetric ?? Performance.GuessWindowMetric(key, performance.Task);
        if (performance.Get(metric) is not { } value)
        {
            return null;
        }

        var threshold = settings.DecayThreshold ?? 0.05;
        var worse = Performance.LowerIsBetter(metric) ? value - runMetric.Value : runMetric.Value - value;
        return new DecayCheck(key, runMetric.Value, metric, value, threshold, worse > threshold);
    }

    private static RuleOutcome Quality(DriftReport drift, MonitorSettings settings)
    {
        var limit = settings.QualityShare ?? 0.05;
        var worst = drift.Columns
            .Select(c => (c.Column, Share: new[] { c.Quality.MissingShare, Share(c.Quality.TypeViolations, drift.CurrentRows),
                Share(c.Quality.OutOfRange, drift.CurrentRows), Share(c.Quality.UnseenRows, drift.CurrentRows) }.Max()))
            .OrderByDescending(x => x.Share)
            .FirstOrDefault();
        var firing = worst.Share > limit || drift.MissingColumns.Count > 0;
        var message = drift.MissingColumns.Count > 0
            ? $"features missing from the predictions: {string.Join(", ", drift.MissingColumns)}"
            : $"worst column {worst.Column}: {worst.Share:0.###} of rows missing, mistyped, out of the reference range or unseen (limit {limit})";
        return new RuleOutcome("data_quality", "", firing, message, worst.Share, limit);
    }

    private RuleOutcome? Staleness(Monitor monitor, ModelCard? card)
    {
        if (monitor.Settings.MaxModelAgeMs is not { } limit || card is null)
        {
            return null;
        }

        var age = clock.GetUtcNow().ToUnixTimeMilliseconds() - card.Version.CreationTimestamp;
        return new RuleOutcome("staleness", "", age > limit,
            $"{card.Version.Name} version {card.Version.Version} is {TimeSpan.FromMilliseconds(age).TotalDays:0.#} days old (limit {TimeSpan.FromMilliseconds(limit).TotalDays:0.#})",
            age, limit);
    }

    private static double Share(long count, long rows) => rows == 0 ? 0 : (double)count / rows;

    private static string Format(double? value) => value?.ToString("G6", CultureInfo.InvariantCulture) ?? "-";

    private async Task<ModelCard?> CardAsync(string name, long version, CancellationToken ct)
    {
        try
        {
            return await lineage.GetCardAsync(name, version.ToString(CultureInfo.InvariantCulture), ct);
        }
        catch (KeelException e) when (e.ErrorCode is ErrorCodes.ResourceDoesNotExist or ErrorCodes.InvalidParameterValue)
        {
            // A model served elsewhere need not be registered here: drift still works, decay and staleness do not apply.
            return null;
        }
    }

    /// <summary>The version the deployment's latest revision serves, for a window without predictions to say it.</summary>
    private async Task<(string, long)?> ServedVersionAsync(string deployment, CancellationToken ct)
    {
        try
        {
            var uri = (await deployments.GetAsync(deployment, ct)).Latest.Spec.Model;
            var version = ModelUri.Parse(uri) switch
            {
                ModelUri.ModelVersion v => await registry.GetModelVersionAsync(v.Name, v.Version.ToString(CultureInfo.InvariantCulture), ct),
                ModelUri.ModelAlias a => await registry.GetModelVersionByAliasAsync(a.Name, a.Alias, ct),
                ModelUri.ModelStage s => await registry.GetLatestVersionsAsync(s.Name, s.Stage is null ? null : [s.Stage], ct) is [var first, ..] ? first : null,
                _ => null,
            };
            return version is null ? null : (version.Name, version.Version);
        }
        catch (KeelException e) when (e.ErrorCode is ErrorCodes.ResourceDoesNotExist or ErrorCodes.InvalidParameterValue)
        {
            return null;
        }
    }
}

/// <summary>What is stored per window (as JSON): everything needed to read and reproduce the verdicts.</summary>
internal sealed record WindowReport(
    string Monitor, string Deployment, long Window, string WindowKind, long RangeStart, long RangeEnd, long Rows, bool Empty, string? Message,
    string? ModelName, long? ModelVersion, string? Reference, DriftReport? Drift, PredictionDrift? PredictionDrift, WindowPerformance? Performance,
    DecayCheck? Decay);

internal sealed record PredictionDrift(string Against, DriftReport Report);

internal sealed record DecayCheck(string RunMetric, double Baseline, string WindowMetric, double Window, double Threshold, bool Decayed);
