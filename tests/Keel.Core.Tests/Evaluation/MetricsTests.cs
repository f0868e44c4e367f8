using Keel.Core.Evaluation;

namespace Keel.Core.Tests.Evaluation;

/// <summary>Evaluation metrics agree with scikit-learn (and fairlearn's and statsmodels' definitions) to 1e-9.</summary>
public sealed class MetricsTests
{
    private const double Tolerance = 1e-9;

    public static IEnumerable<object[]> BinaryCases => SklearnVectors.Cases("binary");

    public static IEnumerable<object[]> RegressionCases => SklearnVectors.Cases("regression");

    public static IEnumerable<object[]> MulticlassCases => SklearnVectors.Cases("multiclass");

    public static IEnumerable<object[]> FairnessCases => SklearnVectors.Cases("fairness");

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary_MatchesScikitLearn(int index, string name)
    {
        var c = SklearnVectors.Case("binary", index);
        var result = BinaryMetrics.Compute(SklearnVectors.Bools(c.GetProperty("actual")), SklearnVectors.Doubles(c.GetProperty("probability")),
            SklearnVectors.Bools(c.GetProperty("predicted")));

        foreach (var expected in c.GetProperty("metrics").EnumerateObject())
        {
            var actual = result.Values[expected.Name].Value;
            Assert.True(actual is not null, $"{name}: {expected.Name} is absent: {result.Values[expected.Name].Reason}");
            Assert.Equal(expected.Value.GetDouble(), actual.Value, Tolerance);
        }

        foreach (var absent in c.GetProperty("absent").EnumerateArray())
        {
            Assert.Null(result.Values[absent.GetString()!].Value);
            Assert.False(string.IsNullOrEmpty(result.Values[absent.GetString()!].Reason));
        }

        Assert.Equal(c.GetProperty("confusion_matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray(),
            result.ConfusionMatrix);
        var fractions = SklearnVectors.Doubles(c.GetProperty("reliability_true"));
        var means = SklearnVectors.Doubles(c.GetProperty("reliability_pred"));
        Assert.Equal(fractions.Length, result.Reliability.Length);
        for (var i = 0; i < fractions.Length; i++)
        {
            Assert.Equal(fractions[i], result.Reliability[i].FractionPositive, Tolerance);
            Assert.Equal(means[i], result.Reliability[i].MeanPredicted, Tolerance);
        }
    }

    [Theory]
    [MemberData(nameof(RegressionCases))]
    public void Regression_MatchesScikitLearnAndNumpy(int index, string name)
    {
        var c = SklearnVectors.Case("regression", index);
        var result = RegressionMetrics.Compute(SklearnVectors.Doubles(c.GetProperty("actual")), SklearnVectors.Doubles(c.GetProperty("predicted")));

        foreach (var expected in c.GetProperty("metrics").EnumerateObject())
        {
            Assert.True(result.Values[expected.Name].Value is not null, $"{name}: {expected.Name} is absent");
            Assert.Equal(expected.Value.GetDouble(), result.Values[expected.Name].Value!.Value, Tolerance);
        }

        foreach (var expected in c.GetProperty("quantiles").EnumerateObject())
        {
            Assert.Equal(expected.Value.GetDouble(), result.Residuals!.Quantiles[expected.Name], Tolerance);
        }

        Assert.Equal(c.GetProperty("histogram").EnumerateArray().Select(v => v.GetInt64()), result.Residuals!.Counts);
    }

    [Theory]
    [MemberData(nameof(MulticlassCases))]
    public void Multiclass_MatchesScikitLearnMacroAndWeighted(int index, string name)
    {
        var c = SklearnVectors.Case("multiclass", index);
        var result = MulticlassMetrics.Compute(SklearnVectors.Ints(c.GetProperty("actual")), SklearnVectors.Ints(c.GetProperty("predicted")),
            c.GetProperty("classes").GetInt32());

        foreach (var expected in c.GetProperty("metrics").EnumerateObject())
        {
            Assert.True(result.Values[expected.Name].Value is not null, $"{name}: {expected.Name} is absent");
            Assert.Equal(expected.Value.GetDouble(), result.Values[expected.Name].Value!.Value, Tolerance);
        }

        Assert.Equal(c.GetProperty("confusion_matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray(),
            result.ConfusionMatrix);
    }

    [Theory]
    [MemberData(nameof(FairnessCases))]
    public void Fairness_MatchesFairlearnDefinitions(int index, string name)
    {
        var c = SklearnVectors.Case("fairness", index);
        var groups = SklearnVectors.Ints(c.GetProperty("groups"));
        var result = Fairness.Compute(SklearnVectors.Bools(c.GetProperty("actual")), SklearnVectors.Bools(c.GetProperty("predicted")), groups, groups.Max() + 1);

        foreach (var measure in Fairness.Names)
        {
            var expected = c.GetProperty(measure);
            if (expected.ValueKind == System.Text.Json.JsonValueKind.Null)
            {
                Assert.Null(result[measure].Value);
                Assert.NotNull(result[measure].Reason);
            }
            else
            {
                Assert.True(result[measure].Value is not null, $"{name}: {measure} is absent");
                Assert.Equal(expected.GetDouble(), result[measure].Value!.Value, Tolerance);
            }
        }
    }

    [Fact]
    public void McNemar_MatchesStatsmodelsDefinition()
    {
        foreach (var c in SklearnVectors.Root.GetProperty("mcnemar").EnumerateArray())
        {
            var result = McNemar.Test(c.GetProperty("b").GetInt64(), c.GetProperty("c").GetInt64());

            Assert.Equal(c.GetProperty("exact").GetBoolean(), result.Exact);
            Assert.Equal(c.GetProperty("statistic").GetDouble(), result.Statistic, Tolerance);
            Assert.Equal(c.GetProperty("p_value").GetDouble(), result.PValue, Tolerance);
        }
    }

    [Fact]
    public void EmptyRows_LeaveEveryMetricAbsentWithAReason()
    {
        var binary = BinaryMetrics.Compute([], [], []);
        var regression = RegressionMetrics.Compute([], []);

        Assert.All(binary.Values.Values.Concat(regression.Values.Values), v =>
        {
            Assert.Null(v.Value);
            Assert.Equal("no rows", v.Reason);
        });
    }
}
