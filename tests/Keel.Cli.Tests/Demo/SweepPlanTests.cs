using Keel.Cli.Demo;

namespace Keel.Cli.Tests.Demo;

public class SweepPlanTests
{
    [Fact]
    public void Default_HasSeveralDistinctConfigurationsWithStringParams()
    {
        var plan = SweepPlan.Default;

        Assert.InRange(plan.Count, 3, 4);
        Assert.Equal(plan.Count, plan.Select(c => c.Name).Distinct().Count());
        Assert.Equal(plan.Count, plan.Select(c => (c.NumberOfLeaves, c.LearningRate, c.NumberOfTrees)).Distinct().Count());
        Assert.All(plan, c =>
        {
            Assert.Equal(c.NumberOfLeaves.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Params["number_of_leaves"]);
            Assert.Equal(c.LearningRate, double.Parse(c.Params["learning_rate"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(c.NumberOfTrees.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Params["number_of_trees"]);
        });
    }

    [Theory]
    [InlineData(100, 10, new[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 })]
    [InlineData(25, 10, new[] { 10, 20, 25 })]
    [InlineData(5, 10, new[] { 5 })]
    public void Steps_EndAtTheLastTreeEvenWhenItIsNotAMultiple(int trees, int every, int[] expected)
    {
        var config = new SweepConfiguration("x", NumberOfLeaves: 4, LearningRate: 0.1, NumberOfTrees: trees, EvaluateEvery: every);

        Assert.Equal(expected, DelayModelTrainer.Steps(config));
    }
}
