namespace Keel.Core.Evaluation;

/// <summary>A binary classifier's metrics, as scikit-learn defines them (positive class 1, <c>zero_division=0</c>).</summary>
internal sealed record BinaryMetrics(
    IReadOnlyDictionary<string, MetricValue> Values,
    long[][] ConfusionMatrix,
    CurvePoint[] Roc,
    CurvePoint[] PrecisionRecall,
    ReliabilityBin[] Reliability)
{
    public static readonly string[] Names = ["accuracy", "precision", "recall", "f1", "roc_auc", "log_loss", "brier_score"];

    /// <param name="actual">The true labels.</param>
    /// <param name="probability">The predicted probability of the positive class, or null when the model gives none.</param>
    /// <param name="predicted">The predicted labels.</param>
    public static BinaryMetrics Compute(ReadOnlySpan<bool> actual, ReadOnlySpan<double> probability, ReadOnlySpan<bool> predicted)
    {
        var values = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        var n = actual.Length;
        if (n == 0)
        {
            foreach (var name in Names)
            {
                values[name] = MetricValue.Absent("no rows");
            }

            return new BinaryMetrics(values, [[0, 0], [0, 0]], [], [], []);
        }

        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < n; i++)
        {
            switch (actual[i], predicted[i])
            {
                case (true, true):
                    tp++;
                    break;
                case (true, false):
                    fn++;
                    break;
                case (false, true):
                    fp++;
                    break;
                default:
                    tn++;
                    break;
            }
        }

        values["accuracy"] = MetricValue.Of((double)(tp + tn) / n);
        values["precision"] = MetricValue.Of(tp + fp == 0 ? 0 : (double)tp / (tp + fp));
        values["recall"] = MetricValue.Of(tp + fn == 0 ? 0 : (double)tp / (tp + fn));
        // F1 from counts, as scikit-learn computes it (2tp / (2tp + fp + fn)), with 0 when there is nothing to count.
        values["f1"] = MetricValue.Of(2 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn));
        var roc = Array.Empty<CurvePoint>();
        var pr = Array.Empty<CurvePoint>();
        var reliability = Array.Empty<ReliabilityBin>();
        if (probability.IsEmpty)
        {
            const string NoScores = "the model gives no probability";
            values["roc_auc"] = MetricValue.Absent(NoScores);
            values["log_loss"] = MetricValue.Absent(NoScores);
            values["brier_score"] = MetricValue.Absent(NoScores);
        }
        else
        {
            (values["roc_auc"], roc, pr) = Curves(actual, probability, tp + fn);
            values["log_loss"] = MetricValue.Of(LogLoss(actual, probability));
            var brier = 0.0;
            for (var i = 0; i < n; i++)
            {
                var error = probability[i] - (actual[i] ? 1 : 0);
                brier += error * error;
            }

            values["brier_score"] = MetricValue.Of(brier / n);
            reliability = ReliabilityBin.Curve(actual, probability);
        }

        return new BinaryMetrics(values, [[tn, fp], [fn, tp]], roc, pr, reliability);
    }

    /// <summary><c>log_loss(y, p, labels=[0, 1])</c>: probabilities clipped to [eps, 1 − eps], eps of float64.</summary>
    public static double LogLoss(ReadOnlySpan<bool> actual, ReadOnlySpan<double> probability)
    {
        var sum = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var p = Math.Clamp(probability[i], Eps, 1 - Eps);
            sum -= actual[i] ? Math.Log(p) : Math.Log(1 - p);
        }

        return sum / actual.Length;
    }

    private const double Eps = 2.220446049250313e-16;

    /// <summary>
    /// The ROC curve and AUC as <c>roc_curve</c> + <c>auc</c> (thresholds at each distinct score, trapezoids), and the
    /// precision–recall curve for the report. ROC AUC is undefined with one class present, as scikit-learn says.
    /// </summary>
    private static (MetricValue Auc, CurvePoint[] Roc, CurvePoint[] PrecisionRecall) Curves(ReadOnlySpan<bool> actual, ReadOnlySpan<double> probability, long positives)
    {
        var n = actual.Length;
        var negatives = n - positives;
        var order = new int[n];
        var keys = new double[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
            keys[i] = -probability[i];
        }

        Array.Sort(keys, order);
        var roc = new List<CurvePoint> { new(0, 0) };
        var pr = new List<CurvePoint>();
        long tp = 0, fp = 0;
        var auc = 0.0;
        for (var i = 0; i < n;)
        {
            var score = keys[i];
            while (i < n && keys[i] == score)
            {
                if (actual[order[i]])
                {
                    tp++;
                }
                else
                {
                    fp++;
                }

                i++;
            }

            var previous = roc[^1];
            var x = negatives == 0 ? 0 : (double)fp / negatives;
            var y = positives == 0 ? 0 : (double)tp / positives;
            auc += (x - previous.X) * (y + previous.Y) / 2;
            roc.Add(new CurvePoint(x, y));
            pr.Add(new CurvePoint(y, (double)tp / (tp + fp)));
        }

        var value = positives == 0 || negatives == 0
            ? MetricValue.Absent("only one class is present in the labels; ROC AUC is not defined in that case")
            : MetricValue.Of(auc);
        return (value, Thin(roc), Thin(pr));
    }

    // A curve over a million distinct scores would make the report and evaluation.json megabytes long; 500 points
    // draw the same picture.
    private static CurvePoint[] Thin(List<CurvePoint> points)
    {
        const int Max = 500;
        if (points.Count <= Max)
        {
            return [.. points];
        }

        var step = (points.Count - 1) / (double)(Max - 1);
        return [.. Enumerable.Range(0, Max).Select(i => points[(int)Math.Round(i * step)])];
    }
}

/// <summary>A point of a ROC (false-positive rate, true-positive rate) or precision–recall (recall, precision) curve.</summary>
internal readonly record struct CurvePoint(double X, double Y);
