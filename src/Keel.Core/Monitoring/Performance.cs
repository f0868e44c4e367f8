using System.Globalization;
using System.Text.Json;

namespace Keel.Core.Monitoring;

/// <summary>A window's performance on its labelled predictions; metrics that do not apply are null.</summary>
internal sealed record WindowPerformance(
    string Task,
    long Labelled,
    string PredictionColumn,
    double? Accuracy = null,
    double? Precision = null,
    double? Recall = null,
    double? F1 = null,
    double? RocAuc = null,
    string? PositiveLabel = null,
    IReadOnlyList<string>? Classes = null,
    IReadOnlyList<IReadOnlyList<long>>? ConfusionMatrix = null,
    double? Mae = null,
    double? Rmse = null,
    double? R2 = null)
{
    public double? Get(string metric) => metric switch
    {
        "accuracy" => Accuracy,
        "precision" => Precision,
        "recall" => Recall,
        "f1" => F1,
        "roc_auc" => RocAuc,
        "mae" => Mae,
        "rmse" => Rmse,
        "r2" => R2,
        _ => null,
    };
}

/// <summary>
/// Classification: accuracy, precision/recall/F1 of the positive class (binary) or their macro average (more classes),
/// ROC AUC from a score output (binary, ties counted half, as scikit-learn's roc_auc_score), the confusion matrix
/// (rows are labels, columns predictions). Regression: MAE, RMSE, R² (1 − SS_res/SS_tot, as scikit-learn's r2_score).
/// </summary>
internal static class Performance
{
    public static readonly string[] Metrics = ["accuracy", "precision", "recall", "f1", "roc_auc", "mae", "rmse", "r2"];

    /// <summary>MAE and RMSE are errors: lower is better.</summary>
    public static bool LowerIsBetter(string metric) => metric is "mae" or "rmse";

    /// <summary>The window metric a run metric key most likely measures: val_auc → roc_auc, val_accuracy → accuracy, ...</summary>
    public static string GuessWindowMetric(string runMetric, string task)
    {
        var key = runMetric.ToLowerInvariant();
        return Metrics.OrderByDescending(m => m.Length).FirstOrDefault(m => key.Contains(m == "roc_auc" ? "auc" : m, StringComparison.Ordinal))
            ?? (task == "regression" ? "rmse" : "accuracy");
    }

    public static WindowPerformance? Compute(IReadOnlyList<(JsonElement Label, JsonElement Outputs)> pairs, MonitorSettings settings)
    {
        if (pairs.Count == 0)
        {
            return null;
        }

        var column = settings.PredictionColumn ?? PredictionColumn(pairs[0].Outputs);
        var task = settings.Task ?? (pairs.All(p => p.Label.ValueKind == JsonValueKind.Number && IsWhole(p.Label.GetDouble())) || pairs.Any(p => p.Label.ValueKind is not JsonValueKind.Number)
            ? "classification" : "regression");
        return task == "regression" ? Regression(pairs, column) : Classification(pairs, column, settings);
    }

    private static string PredictionColumn(JsonElement outputs)
    {
        if (outputs.ValueKind != JsonValueKind.Object)
        {
            return "prediction";
        }

        var names = outputs.EnumerateObject().Select(p => p.Name).ToList();
        return names.Contains("prediction") ? "prediction" : names.FirstOrDefault() ?? "prediction";
    }

    private static JsonElement? Output(JsonElement outputs, string column) =>
        outputs.ValueKind == JsonValueKind.Object ? outputs.TryGetProperty(column, out var v) ? v : null : outputs;

    private static WindowPerformance Regression(IReadOnlyList<(JsonElement Label, JsonElement Outputs)> pairs, string column)
    {
        var actual = new List<double>();
        var predicted = new List<double>();
        foreach (var (label, outputs) in pairs)
        {
            if (Number(label) is { } y && Output(outputs, column) is { } o && Number(o) is { } p)
            {
                actual.Add(y);
                predicted.Add(p);
            }
        }

        if (actual.Count == 0)
        {
            return new WindowPerformance("regression", 0, column);
        }

        var mean = actual.Average();
        double absolute = 0, squares = 0, total = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            var error = actual[i] - predicted[i];
            absolute += Math.Abs(error);
            squares += error * error;
            total += (actual[i] - mean) * (actual[i] - mean);
        }

        // scikit-learn answers 1.0 for a perfect fit of a constant target and 0.0 otherwise; so do we.
        var r2 = total == 0 ? squares == 0 ? 1.0 : 0.0 : 1 - (squares / total);
        return new WindowPerformance("regression", actual.Count, column, Mae: absolute / actual.Count, Rmse: Math.Sqrt(squares / actual.Count), R2: r2);
    }

    private static WindowPerformance Classification(IReadOnlyList<(JsonElement Label, JsonElement Outputs)> pairs, string column, MonitorSettings settings)
    {
        var labels = new List<string>();
        var predictions = new List<string>();
        var scores = new List<double>();
        foreach (var (label, outputs) in pairs)
        {
            if (Text(label) is { } y && Output(outputs, column) is { } o && Text(o) is { } p)
            {
                labels.Add(y);
                predictions.Add(p);
                if (settings.ScoreColumn is { } scoreColumn && Output(outputs, scoreColumn) is { } s && Number(s) is { } score)
                {
                    scores.Add(score);
                }
            }
        }

        var classes = labels.Concat(predictions).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var matrix = classes.Select(_ => new long[classes.Count]).ToArray();
        for (var i = 0; i < labels.Count; i++)
        {
            matrix[index[labels[i]]][index[predictions[i]]]++;
        }

        var correct = Enumerable.Range(0, classes.Count).Sum(i => matrix[i][i]);
        var n = labels.Count;
        double? accuracy = n == 0 ? null : (double)correct / n;
        var positive = settings.PositiveLabel ?? classes.FirstOrDefault(c => c is "1" or "true" or "True") ?? (classes.Count == 2 ? classes[1] : null);
        double? precision, recall, f1, auc = null;
        if (classes.Count <= 2 && positive is not null && index.TryGetValue(positive, out var k))
        {
            (precision, recall, f1) = ClassScores(matrix, k);
            if (scores.Count == labels.Count)
            {
                auc = RocAuc(labels.Select(l => l == positive).ToList(), scores);
            }
        }
        else
        {
            var perClass = Enumerable.Range(0, classes.Count).Select(c => ClassScores(matrix, c)).ToList();
            precision = perClass.Count == 0 ? null : perClass.Average(s => s.Precision ?? 0);
            recall = perClass.Count == 0 ? null : perClass.Average(s => s.Recall ?? 0);
            f1 = perClass.Count == 0 ? null : perClass.Average(s => s.F1 ?? 0);
            positive = null;
        }

        return new WindowPerformance("classification", n, column, accuracy, precision, recall, f1, auc, positive, classes, matrix);
    }

    /// <summary>Precision, recall and F1 of class <paramref name="k"/>; 0 where the denominator is 0 (scikit-learn's zero_division=0).</summary>
    private static (double? Precision, double? Recall, double? F1) ClassScores(long[][] matrix, int k)
    {
        long tp = matrix[k][k], predicted = 0, actual = 0;
        for (var i = 0; i < matrix.Length; i++)
        {
            predicted += matrix[i][k];
            actual += matrix[k][i];
        }

        var precision = predicted == 0 ? 0 : (double)tp / predicted;
        var recall = actual == 0 ? 0 : (double)tp / actual;
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return (precision, recall, f1);
    }

    /// <summary>The Mann–Whitney form of the area under the ROC curve, tied scores counted half; null without both classes.</summary>
    private static double? RocAuc(List<bool> positive, List<double> scores)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[scores.Count];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            for (var t = i; t <= j; t++)
            {
                ranks[order[t]] = ((i + j) / 2.0) + 1;
            }

            i = j + 1;
        }

        long positives = positive.Count(p => p);
        long negatives = positive.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }

        var rankSum = Enumerable.Range(0, ranks.Length).Where(i => positive[i]).Sum(i => ranks[i]);
        return (rankSum - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);
    }

    private static bool IsWhole(double value) => Math.Abs(value - Math.Round(value)) < 1e-12;

    private static double? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>A class as text: whole numbers without a fraction, so a label 1 and a prediction 1.0 are one class.</summary>
    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        _ => null,
    };
}
