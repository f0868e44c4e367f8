using Keel.Core.Evaluation;

namespace Keel.Core.Tests.Evaluation;

public sealed class EvaluatorTests
{
    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1500)]
    public void PermutationImportance_RanksThePlantedFeatureFirst_AndTheNoiseFeatureNearZero(int importanceRows)
    {
        var random = new Random(3);
        const int Rows = 4000;
        var x = new double[3][];
        for (var f = 0; f < 3; f++)
        {
            x[f] = [.. Enumerable.Range(0, Rows).Select(_ => random.NextDouble() * 2 - 1)];
        }

        // The label depends on x0 strongly and x2 weakly; x1 is noise the model gives a tiny weight.
        var labels = Enumerable.Range(0, Rows).Select(i => 3 * x[0][i] + 0.5 * x[2][i] + (random.NextDouble() - 0.5) * 0.5 > 0).ToArray();
        ModelAnswers Model(int rows, Func<int, int, double> value) => Predict(Enumerable.Range(0, rows).Select(i => 3 * value(0, i) + 0.02 * value(1, i) + 0.5 * value(2, i)));

        var result = Evaluator.Evaluate(new Target(labels, null), Model(Rows, (f, i) => x[f][i]), [],
            new EvaluationSettings(Repeats: 5, Seed: 9, ImportanceRows: importanceRows),
            features: ["informative", "noise", "weak"],
            rescore: (feature, sample, source) => Model(source.Length, (f, i) => x[f][f == feature ? source[i] : sample?[i] ?? i]));

        Assert.Equal(["informative", "weak", "noise"], result.Importance.Select(i => i.Feature));
        Assert.True(result.Importance[0].Mean > 0.3, $"informative: {result.Importance[0].Mean}");
        Assert.True(Math.Abs(result.Importance[2].Mean) < 0.01, $"noise: {result.Importance[2].Mean}");
        Assert.All(result.Importance, i => Assert.Equal(5, i.Drops.Length));
        Assert.Contains(result.LoggedMetrics(), m => m.Key == "importance.informative" && m.Value == result.Importance[0].Mean);
    }

    [Fact]
    public void PermutationImportance_WithTheSameSeed_GivesTheSameDrops()
    {
        double Score(int feature, int[]? sample, int[] source) => source[0] + source[^1] * 0.001 + feature;

        var first = PermutationImportance.Compute(["a", "b"], 100, 4, 5, 0, Score);
        var second = PermutationImportance.Compute(["a", "b"], 100, 4, 5, 0, Score, parallelism: 1);

        Assert.Equal(first.Select(i => i.Drops), second.Select(i => i.Drops));
        Assert.Equal(first[0].Drops.Average(), first[0].Mean, 1e-12);
    }

    [Fact]
    public void Slices_WithOneClassInASlice_LeaveItsRocAucAbsent_AndLogGapsAndFairness()
    {
        bool[] labels = [true, false, true, false, false, false];
        double[] probability = [0.9, 0.2, 0.4, 0.6, 0.1, 0.3];
        string?[] region = ["north", "north", "south", "south", "east+west", null];
        var predictions = new ModelAnswers([.. probability.Select(p => p >= 0.5)], probability, null);

        var result = Evaluator.Evaluate(new Target(labels, null), predictions, [new SliceColumn("region", region)], new EvaluationSettings(Repeats: 0));

        var slice = Assert.Single(result.Slices);
        Assert.Equal(["east+west", "north", "south", null], slice.Groups.Select(g => g.Value));
        var east = slice.Groups[0].Scored.Values["roc_auc"];
        Assert.Null(east.Value);
        Assert.Contains("one class", east.Reason, StringComparison.Ordinal);
        var logged = result.LoggedMetrics().ToDictionary(m => m.Key, m => m.Value);
        Assert.DoesNotContain("slice.region.east_west.roc_auc", logged.Keys);
        Assert.Equal(1.0, logged["slice.region.north.accuracy"]);
        Assert.Equal(0.0, logged["slice.region.south.accuracy"]);
        Assert.Equal(1.0, logged["slice.region.__missing__.accuracy"]);
        Assert.Equal(1.0, logged["slice_gap.region.accuracy"]);
        // Selection rates: east 0, north 0.5, south 0.5, missing 0.
        Assert.Equal(0.5, logged["fairness.region.demographic_parity_difference"]);
        Assert.Equal(0.0, logged["fairness.region.disparate_impact_ratio"]);
        Assert.Equal(1.0, logged["fairness.region.equal_opportunity_difference"]);
    }

    [Fact]
    public void Comparison_OfAModelWithItself_HasZeroDeltasAndMcNemarPOfOne()
    {
        bool[] labels = [true, false, true, false, true, true, false, false];
        double[] probability = [0.9, 0.2, 0.4, 0.6, 0.7, 0.8, 0.1, 0.3];
        var predictions = new ModelAnswers([.. probability.Select(p => p >= 0.5)], probability, null);

        var result = Evaluator.Evaluate(new Target(labels, null), predictions, [], new EvaluationSettings(Repeats: 0, BootstrapResamples: 200), predictions);

        var comparison = result.Comparison!;
        Assert.All(comparison.Deltas.Values, d => Assert.Equal(0, d.Value));
        Assert.Equal(1, comparison.McNemar!.Value.PValue);
        Assert.Equal(new BootstrapInterval(0, 0, 200), comparison.Intervals["f1"]);
        Assert.False(comparison.Intervals.ContainsKey("accuracy"));
    }

    [Fact]
    public void Regression_WithASlice_LogsErrorsPerSlice_AndTheR2DropOfTheUsedFeature()
    {
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        double[] actual = [.. x.Select(v => 2 * v + (v % 2 == 0 ? 0.5 : -0.5))];
        string?[] shift = ["day", "day", "day", "day", "night", "night", "night", "night"];
        ModelAnswers Model(IEnumerable<double> inputs) => new(null, null, [.. inputs.Select(v => 2 * v)]);

        var result = Evaluator.Evaluate(new Target(null, actual), Model(x), [new SliceColumn("shift", shift)], new EvaluationSettings(Repeats: 3),
            features: ["x"], rescore: (_, sample, source) => Model(source.Select(r => x[r])));

        var logged = result.LoggedMetrics().ToDictionary(m => m.Key, m => m.Value);
        Assert.Equal(0.5, logged["mae"], 1e-12);
        Assert.Equal(0.5, logged["rmse"], 1e-12);
        Assert.Equal(0.5, logged["slice.shift.night.mae"], 1e-12);
        Assert.Equal(0, logged["slice_gap.shift.rmse"], 1e-12);
        Assert.DoesNotContain(logged.Keys, k => k.StartsWith("fairness.", StringComparison.Ordinal));
        Assert.True(logged["importance.x"] > 0.5, $"importance.x = {logged["importance.x"]}");
        Assert.Equal(-0.5, result.Overall.Regression!.Residuals!.Quantiles["p5"], 1e-12);
    }

    [Theory]
    [InlineData("ORD", "ORD")]
    [InlineData("São Paulo", "São Paulo")]
    [InlineData("a/b+c", "a_b_c")]
    [InlineData("", "_")]
    public void MetricKeys_KeepWhatTrackingAccepts_AndReplaceTheRest(string value, string expected) =>
        Assert.Equal($"slice.col.{expected}.f1", MetricKeys.Slice("col", value, "f1"));

    private static ModelAnswers Predict(IEnumerable<double> logits)
    {
        var probability = logits.Select(z => 1 / (1 + Math.Exp(-z))).ToArray();
        return new ModelAnswers([.. probability.Select(p => p >= 0.5)], probability, null);
    }
}
