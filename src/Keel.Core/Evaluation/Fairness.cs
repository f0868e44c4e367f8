namespace Keel.Core.Evaluation;

/// <summary>
/// Group-fairness measures of a binary classifier across the groups of one slice column, as fairlearn defines them:
/// demographic parity difference (max − min selection rate), equal opportunity difference (max − min true-positive
/// rate) and disparate impact ratio (min / max selection rate, fairlearn's <c>demographic_parity_ratio</c>).
/// </summary>
internal static class Fairness
{
    public static readonly string[] Names = ["demographic_parity_difference", "equal_opportunity_difference", "disparate_impact_ratio"];

    /// <param name="groups">Each row's group code, 0..groupCount−1.</param>
    public static IReadOnlyDictionary<string, MetricValue> Compute(ReadOnlySpan<bool> actual, ReadOnlySpan<bool> predicted, ReadOnlySpan<int> groups, int groupCount)
    {
        var rows = new long[groupCount];
        var selected = new long[groupCount];
        var positives = new long[groupCount];
        var truePositives = new long[groupCount];
        for (var i = 0; i < actual.Length; i++)
        {
            var g = groups[i];
            rows[g]++;
            selected[g] += predicted[i] ? 1 : 0;
            positives[g] += actual[i] ? 1 : 0;
            truePositives[g] += actual[i] && predicted[i] ? 1 : 0;
        }

        double minRate = double.PositiveInfinity, maxRate = double.NegativeInfinity, minTpr = double.PositiveInfinity, maxTpr = double.NegativeInfinity;
        var groupsWithRows = 0;
        for (var g = 0; g < groupCount; g++)
        {
            if (rows[g] == 0)
            {
                continue;
            }

            groupsWithRows++;
            var rate = (double)selected[g] / rows[g];
            minRate = Math.Min(minRate, rate);
            maxRate = Math.Max(maxRate, rate);
            // fairlearn's true_positive_rate is recall_score with zero_division=0: a group without positives counts 0.
            var tpr = positives[g] == 0 ? 0 : (double)truePositives[g] / positives[g];
            minTpr = Math.Min(minTpr, tpr);
            maxTpr = Math.Max(maxTpr, tpr);
        }

        var values = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        if (groupsWithRows == 0)
        {
            foreach (var name in Names)
            {
                values[name] = MetricValue.Absent("no rows");
            }

            return values;
        }

        values["demographic_parity_difference"] = MetricValue.Of(maxRate - minRate);
        values["equal_opportunity_difference"] = MetricValue.Of(maxTpr - minTpr);
        values["disparate_impact_ratio"] = maxRate == 0
            ? MetricValue.Absent("no group has a positive prediction, so the ratio of selection rates is 0/0")
            : MetricValue.Of(minRate / maxRate);
        return values;
    }
}
