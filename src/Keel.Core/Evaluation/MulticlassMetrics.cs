namespace Keel.Core.Evaluation;

/// <summary>
/// A multiclass classifier's metrics over class codes 0..k−1: accuracy, precision/recall/F1 averaged over the classes
/// present in either labels or predictions (scikit-learn's <c>average="macro"</c> and <c>"weighted"</c>,
/// <c>zero_division=0</c>), and the confusion matrix (rows actual, columns predicted).
/// </summary>
internal sealed record MulticlassMetrics(IReadOnlyDictionary<string, MetricValue> Values, long[][] ConfusionMatrix)
{
    public static MulticlassMetrics Compute(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classes)
    {
        var values = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        var matrix = new long[classes][];
        for (var c = 0; c < classes; c++)
        {
            matrix[c] = new long[classes];
        }

        if (actual.Length == 0)
        {
            foreach (var name in new[] { "accuracy", "precision", "recall", "f1", "precision_weighted", "recall_weighted", "f1_weighted" })
            {
                values[name] = MetricValue.Absent("no rows");
            }

            return new MulticlassMetrics(values, matrix);
        }

        long correct = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            matrix[actual[i]][predicted[i]]++;
            correct += actual[i] == predicted[i] ? 1 : 0;
        }

        double precisionMacro = 0, recallMacro = 0, f1Macro = 0, precisionWeighted = 0, recallWeighted = 0, f1Weighted = 0;
        var present = 0;
        for (var c = 0; c < classes; c++)
        {
            long support = 0, predictedCount = 0;
            for (var other = 0; other < classes; other++)
            {
                support += matrix[c][other];
                predictedCount += matrix[other][c];
            }

            if (support == 0 && predictedCount == 0)
            {
                continue;
            }

            present++;
            var tp = matrix[c][c];
            var precision = predictedCount == 0 ? 0 : (double)tp / predictedCount;
            var recall = support == 0 ? 0 : (double)tp / support;
            var f1 = support + predictedCount == 0 ? 0 : 2.0 * tp / (support + predictedCount);
            precisionMacro += precision;
            recallMacro += recall;
            f1Macro += f1;
            precisionWeighted += precision * support;
            recallWeighted += recall * support;
            f1Weighted += f1 * support;
        }

        double n = actual.Length;
        values["accuracy"] = MetricValue.Of(correct / n);
        values["precision"] = MetricValue.Of(precisionMacro / present);
        values["recall"] = MetricValue.Of(recallMacro / present);
        values["f1"] = MetricValue.Of(f1Macro / present);
        values["precision_weighted"] = MetricValue.Of(precisionWeighted / n);
        values["recall_weighted"] = MetricValue.Of(recallWeighted / n);
        values["f1_weighted"] = MetricValue.Of(f1Weighted / n);
        return new MulticlassMetrics(values, matrix);
    }
}
