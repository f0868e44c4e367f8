namespace Keel.Core.Evaluation;

/// <summary>
/// Computes a whole evaluation from the model's answers: overall metrics, the same per slice value with the gap
/// between best and worst slice and group fairness, permutation importance and, with a baseline, the comparison.
/// Scoring the model is the caller's (the CLI loads it as <c>keel serve</c> does); this is arithmetic only.
/// </summary>
internal static class Evaluator
{
    /// <summary>
    /// Scores the model on the sample rows (null: all, in order) with one feature's value of each taken from the row
    /// at the same position in <c>source</c>; the answers are in sample order.
    /// </summary>
    internal delegate ModelAnswers Rescore(int feature, int[]? sample, int[] source);

    public static EvaluationResult Evaluate(Target target, ModelAnswers candidate, IReadOnlyList<SliceColumn> slices, EvaluationSettings settings,
        ModelAnswers? baseline = null, IReadOnlyList<string>? features = null, Rescore? rescore = null)
    {
        var overall = Score(target, candidate, null);
        var sliceResults = slices.Select(s => Slice(target, candidate, s)).ToList();
        IReadOnlyList<FeatureImportance> importance = [];
        if (features is { Count: > 0 } && rescore is not null && settings.Repeats > 0)
        {
            var primary = PrimaryMetric(target.Task);
            var reference = overall.Values[primary].Value ?? 0;
            importance = PermutationImportance.Compute(features, target.Rows, settings.Repeats, settings.Seed, reference,
                (feature, sample, source) => PrimaryScore(sample is null ? target : target.Subset(sample), rescore(feature, sample, source)),
                settings.ImportanceRows, settings.Parallelism);
        }

        return new EvaluationResult(target.Task, target.Rows, overall, sliceResults, importance,
            baseline is null ? null : Compare(target, candidate, baseline, overall, settings));
    }

    /// <summary>scikit-learn's default <c>score</c>: accuracy for a classifier, R² for a regressor.</summary>
    public static string PrimaryMetric(EvaluationTask task) => task == EvaluationTask.Binary ? "accuracy" : "r2";

    /// <summary>
    /// The primary metric alone, for the many rescorings of permutation importance: the full set would sort every
    /// rescoring's probabilities for ROC AUC only to throw it away.
    /// </summary>
    public static double PrimaryScore(Target target, ModelAnswers answers)
    {
        if (target.Task == EvaluationTask.Binary)
        {
            var (actual, predicted) = (target.Labels!, answers.Labels!);
            long correct = 0;
            for (var i = 0; i < actual.Length; i++)
            {
                correct += actual[i] == predicted[i] ? 1 : 0;
            }

            return actual.Length == 0 ? 0 : (double)correct / actual.Length;
        }

        return RegressionMetrics.R2(target.Values!, answers.Values!) ?? 0;
    }

    public static IReadOnlyList<string> MetricNames(EvaluationTask task) => task == EvaluationTask.Binary ? BinaryMetrics.Names : RegressionMetrics.Names;

    /// <summary>The metrics on the given rows (all when null), with the curves and matrices that go with them.</summary>
    public static ScoredRows Score(Target target, ModelAnswers predictions, int[]? rows)
    {
        if (target.Task == EvaluationTask.Binary)
        {
            var actual = Gather(target.Labels!, rows);
            var predicted = Gather(predictions.Labels!, rows);
            var probability = predictions.Probability is null ? [] : Gather(predictions.Probability, rows);
            var binary = BinaryMetrics.Compute(actual, probability, predicted);
            return new ScoredRows(actual.Length, binary.Values, binary, null);
        }

        var regression = RegressionMetrics.Compute(Gather(target.Values!, rows), Gather(predictions.Values!, rows));
        return new ScoredRows(rows?.Length ?? target.Rows, regression.Values, null, regression);
    }

    private static SliceResult Slice(Target target, ModelAnswers predictions, SliceColumn column)
    {
        var groups = new List<SliceGroup>();
        foreach (var (value, rows) in column.Groups())
        {
            groups.Add(new SliceGroup(value, MetricKeys.Value(value), Score(target, predictions, rows)));
        }

        var gaps = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        foreach (var metric in MetricNames(target.Task))
        {
            var defined = groups.Select(g => g.Scored.Values[metric].Value).OfType<double>().ToList();
            gaps[metric] = defined.Count == 0
                ? MetricValue.Absent("no slice has this metric")
                : MetricValue.Of(defined.Max() - defined.Min());
        }

        IReadOnlyDictionary<string, MetricValue> fairness = new Dictionary<string, MetricValue>();
        if (target.Task == EvaluationTask.Binary)
        {
            var codes = new int[target.Rows];
            for (var g = 0; g < groups.Count; g++)
            {
                foreach (var row in column.RowsOf(g))
                {
                    codes[row] = g;
                }
            }

            fairness = Fairness.Compute(target.Labels!, predictions.Labels!, codes, groups.Count);
        }

        return new SliceResult(column.Name, groups, gaps, fairness);
    }

    private static Comparison Compare(Target target, ModelAnswers candidate, ModelAnswers baseline, ScoredRows candidateScores, EvaluationSettings settings)
    {
        var baselineScores = Score(target, baseline, null);
        var deltas = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        var intervals = new Dictionary<string, BootstrapInterval>(StringComparer.Ordinal);
        foreach (var metric in MetricNames(target.Task))
        {
            var (mine, theirs) = (candidateScores.Values[metric].Value, baselineScores.Values[metric].Value);
            deltas[metric] = mine is { } a && theirs is { } b ? MetricValue.Of(a - b) : MetricValue.Absent("undefined for one of the models");
            // Accuracy is compared with McNemar's test; the interval is for the metrics that test does not cover.
            if (metric == "accuracy" || deltas[metric].Value is null || settings.BootstrapResamples == 0)
            {
                continue;
            }

            var interval = Bootstrap.PairedInterval(target.Rows, settings.BootstrapResamples, settings.Seed, sample =>
                Score(target, candidate, sample).Values[metric].Value - Score(target, baseline, sample).Values[metric].Value);
            if (interval is { } found)
            {
                intervals[metric] = found;
            }
        }

        McNemarResult? mcnemar = null;
        if (target.Task == EvaluationTask.Binary)
        {
            long onlyCandidate = 0, onlyBaseline = 0;
            for (var i = 0; i < target.Rows; i++)
            {
                var candidateRight = candidate.Labels![i] == target.Labels![i];
                var baselineRight = baseline.Labels![i] == target.Labels[i];
                onlyCandidate += candidateRight && !baselineRight ? 1 : 0;
                onlyBaseline += baselineRight && !candidateRight ? 1 : 0;
            }

            mcnemar = McNemar.Test(onlyCandidate, onlyBaseline);
        }

        return new Comparison(baselineScores, deltas, mcnemar, intervals);
    }

    private static T[] Gather<T>(T[] values, int[]? rows)
    {
        if (rows is null)
        {
            return values;
        }

        var gathered = new T[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            gathered[i] = values[rows[i]];
        }

        return gathered;
    }
}

/// <summary>How an evaluation is run: permutation repeats, bootstrap resamples, the seed of both, and the threads they may use.</summary>
/// <param name="ImportanceRows">
/// The most rows each importance repeat scores (sklearn's <c>max_samples</c>): 100 rescorings of a million rows would
/// cost a hundred full scorings, and the ranking settles on far fewer.
/// </param>
internal sealed record EvaluationSettings(int Repeats = 5, int BootstrapResamples = Bootstrap.DefaultResamples, int Seed = 42, int Parallelism = -1,
    int ImportanceRows = EvaluationSettings.DefaultImportanceRows)
{
    public const int DefaultImportanceRows = 100_000;
}

/// <summary>A slice column: each row's value (null when missing).</summary>
internal sealed class SliceColumn(string name, string?[] values)
{
    private List<(string? Value, int[] Rows)>? _groups;

    public string Name { get; } = name;

    /// <summary>The rows of each distinct value, in ordinal order of the values (missing last).</summary>
    public IReadOnlyList<(string? Value, int[] Rows)> Groups()
    {
        if (_groups is null)
        {
            var byValue = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var missing = new List<int>();
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is { } value)
                {
                    if (!byValue.TryGetValue(value, out var rows))
                    {
                        byValue[value] = rows = [];
                    }

                    rows.Add(i);
                }
                else
                {
                    missing.Add(i);
                }
            }

            _groups = [.. byValue.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => ((string?)p.Key, p.Value.ToArray()))];
            if (missing.Count > 0)
            {
                _groups.Add((null, missing.ToArray()));
            }
        }

        return _groups;
    }

    public int[] RowsOf(int group) => Groups()[group].Rows;
}
