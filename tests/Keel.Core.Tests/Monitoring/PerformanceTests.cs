using System.Text.Json;
using Keel.Core.Monitoring;

namespace Keel.Core.Tests.Monitoring;

/// <summary>Window performance on small cases worked out by hand with scikit-learn's definitions.</summary>
public sealed class PerformanceTests
{
    private static List<(JsonElement Label, JsonElement Outputs)> Pairs<T>(IEnumerable<T> labels, IEnumerable<object> outputs) =>
        labels.Zip(outputs, (l, o) => (JsonSerializer.SerializeToElement(l), JsonSerializer.SerializeToElement(o))).ToList();

    [Fact]
    public void Binary_CountsTheConfusionMatrix_AndRocAucCountsTiesHalf()
    {
        int[] labels = [1, 0, 1, 1, 0, 0, 1, 0];
        int[] predicted = [1, 0, 0, 1, 0, 0, 1, 1];
        double[] scores = [0.9, 0.4, 0.4, 0.7, 0.2, 0.4, 0.6, 0.8];

        var p = Performance.Compute(Pairs(labels, predicted.Zip(scores, (y, s) => (object)new { prediction = y, score = s })),
            new MonitorSettings { ScoreColumn = "score" })!;

        Assert.Equal("classification", p.Task);
        Assert.Equal((0.75, 0.75, 0.75, 0.75), (p.Accuracy!.Value, p.Precision!.Value, p.Recall!.Value, p.F1!.Value));
        // Positive scores 0.9, 0.4, 0.7, 0.6 against negative 0.4, 0.2, 0.4, 0.8: 4 + (0.5 + 1 + 0.5) + 3 + 3 = 12 of 16 pairs.
        Assert.Equal(0.75, p.RocAuc!.Value, 12);
        Assert.Equal("1", p.PositiveLabel);
        Assert.Equal([[3L, 1L], [1L, 3L]], p.ConfusionMatrix!.Select(r => r.ToArray()));
    }

    [Fact]
    public void MoreClasses_AverageTheClassScores()
    {
        string[] labels = ["a", "b", "c", "a", "b", "c", "a"];
        string[] predicted = ["a", "c", "c", "a", "b", "b", "b"];

        var p = Performance.Compute(Pairs(labels, predicted.Select(y => (object)new { prediction = y })), new MonitorSettings())!;

        Assert.Equal(4.0 / 7, p.Accuracy!.Value, 12);
        Assert.Equal((1 + (1.0 / 3) + 0.5) / 3, p.Precision!.Value, 12);
        Assert.Equal(((2.0 / 3) + 0.5 + 0.5) / 3, p.Recall!.Value, 12);
        Assert.Equal((0.8 + 0.4 + 0.5) / 3, p.F1!.Value, 12);
        Assert.Null(p.RocAuc);
    }

    [Fact]
    public void Regression_MaeRmseAndR2()
    {
        double[] labels = [3.0, -0.5, 2.0, 7.0, 4.2];
        double[] predicted = [2.5, 0.0, 2.0, 8.0, 3.9];

        var p = Performance.Compute(Pairs(labels, predicted.Select(y => (object)new { prediction = y })), new MonitorSettings())!;

        Assert.Equal("regression", p.Task);
        Assert.Equal(0.46, p.Mae!.Value, 12);
        Assert.Equal(Math.Sqrt(0.318), p.Rmse!.Value, 12);
        Assert.Equal(1 - (1.59 / 30.592), p.R2!.Value, 12);
    }

    [Theory]
    [InlineData("val_auc", "classification", "roc_auc")]
    [InlineData("val_accuracy", "classification", "accuracy")]
    [InlineData("test_rmse", "regression", "rmse")]
    [InlineData("loss", "regression", "rmse")]
    [InlineData("loss", "classification", "accuracy")]
    public void WindowMetric_IsGuessedFromTheRunMetricKey(string key, string task, string expected) =>
        Assert.Equal(expected, Performance.GuessWindowMetric(key, task));
}
