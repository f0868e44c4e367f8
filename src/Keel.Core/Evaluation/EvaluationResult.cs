namespace Keel.Core.Evaluation;

/// <summary>Metrics on a set of rows, with the binary curves or the regression residuals that belong to them.</summary>
internal sealed record ScoredRows(int Rows, IReadOnlyDictionary<string, MetricValue> Values, BinaryMetrics? Binary, RegressionMetrics? Regression);

/// <summary>One value of a slice column: its original text (null when missing), its key part in metric names, and its metrics.</summary>
internal sealed record SliceGroup(string? Value, string Key, ScoredRows Scored);

internal sealed record SliceResult(string Column, IReadOnlyList<SliceGroup> Groups, IReadOnlyDictionary<string, MetricValue> Gaps, IReadOnlyDictionary<string, MetricValue> Fairness);

/// <summary>The baseline's metrics on the same rows, candidate − baseline per metric, McNemar's test and bootstrap intervals.</summary>
internal sealed record Comparison(ScoredRows Baseline, IReadOnlyDictionary<string, MetricValue> Deltas, McNemarResult? McNemar,
    IReadOnlyDictionary<string, BootstrapInterval> Intervals);

internal sealed record EvaluationResult(EvaluationTask Task, int Rows, ScoredRows Overall, IReadOnlyList<SliceResult> Slices,
    IReadOnlyList<FeatureImportance> Importance, Comparison? Comparison)
{
    /// <summary>Every defined metric under the key the evaluation run logs it as (the contract gates read).</summary>
    public IEnumerable<KeyValuePair<string, double>> LoggedMetrics()
    {
        foreach (var (name, value) in Overall.Values)
        {
            if (value.Value is { } v)
            {
                yield return new(name, v);
            }
        }

        if (Comparison is { } comparison)
        {
            foreach (var (name, value) in comparison.Baseline.Values)
            {
                if (value.Value is { } v)
                {
                    yield return new("baseline." + name, v);
                }
            }

            foreach (var (name, value) in comparison.Deltas)
            {
                if (value.Value is { } v)
                {
                    yield return new("delta." + name, v);
                }
            }
        }

        foreach (var slice in Slices)
        {
            foreach (var group in slice.Groups)
            {
                foreach (var (name, value) in group.Scored.Values)
                {
                    if (value.Value is { } v)
                    {
                        yield return new(MetricKeys.Slice(slice.Column, group.Value, name), v);
                    }
                }
            }

            foreach (var (name, value) in slice.Gaps)
            {
                if (value.Value is { } v)
                {
                    yield return new(MetricKeys.SliceGap(slice.Column, name), v);
                }
            }

            foreach (var (name, value) in slice.Fairness)
            {
                if (value.Value is { } v)
                {
                    yield return new(MetricKeys.Fairness(slice.Column, name), v);
                }
            }
        }

        foreach (var feature in Importance)
        {
            yield return new(MetricKeys.Importance(feature.Feature), feature.Mean);
        }
    }
}
