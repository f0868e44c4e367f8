using Keel.Client.Protocol;

namespace Keel.Client.Tests;

public class LogBatchBuilderTests
{
    private static IEnumerable<Metric> Metrics(int count) => Enumerable.Range(0, count).Select(i => new Metric("loss", i, 1000 + i, i));

    private static IEnumerable<Param> Params(int count) => Enumerable.Range(0, count).Select(i => new Param($"p{i}", i.ToString()));

    private static IEnumerable<Tag> Tags(int count) => Enumerable.Range(0, count).Select(i => new Tag($"t{i}", i.ToString()));

    private static void AssertWithinLimits(IEnumerable<LogBatchRequest> batches)
    {
        foreach (var batch in batches)
        {
            Assert.InRange(batch.Metrics.Count, 0, 1000);
            Assert.InRange(batch.Params.Count, 0, 100);
            Assert.InRange(batch.Tags.Count, 0, 100);
            Assert.InRange(batch.Metrics.Count + batch.Params.Count + batch.Tags.Count, 1, 1000);
            Assert.Equal("run-1", batch.RunId);
        }
    }

    [Fact]
    public void Split_ManyMetrics_SendsAtMost1000PerRequest()
    {
        var batches = LogBatchBuilder.Split("run-1", Metrics(2500), [], []).ToList();

        Assert.Equal([1000, 1000, 500], batches.Select(b => b.Metrics.Count));
        AssertWithinLimits(batches);
    }

    [Fact]
    public void Split_ManyParamsAndTags_SendsAtMost100OfEachPerRequest()
    {
        var batches = LogBatchBuilder.Split("run-1", [], Params(250), Tags(230)).ToList();

        AssertWithinLimits(batches);
        Assert.Equal(250, batches.Sum(b => b.Params.Count));
        Assert.Equal(230, batches.Sum(b => b.Tags.Count));
    }

    [Fact]
    public void Split_Mixed_KeepsTotalAtMost1000AndOrderWithinEachKind()
    {
        var batches = LogBatchBuilder.Split("run-1", Metrics(2345), Params(150), Tags(120)).ToList();

        AssertWithinLimits(batches);
        Assert.Equal(Metrics(2345), batches.SelectMany(b => b.Metrics));
        Assert.Equal(Params(150), batches.SelectMany(b => b.Params));
        Assert.Equal(Tags(120), batches.SelectMany(b => b.Tags));
    }

    [Fact]
    public void Split_Nothing_SendsNoRequest()
    {
        Assert.Empty(LogBatchBuilder.Split("run-1", [], [], []));
    }

    [Fact]
    public void Add_SameTagTwice_KeepsTheLastValue()
    {
        var builder = new LogBatchBuilder("run-1");
        builder.Add(new Tag("stage", "train"));
        builder.Add(new Tag("other", "x"));
        builder.Add(new Tag("stage", "eval"));

        var batch = builder.Take();

        Assert.Equal([new Tag("other", "x"), new Tag("stage", "eval")], batch.Tags);
    }

    [Fact]
    public void Add_IdenticalParamTwice_SendsItOnce()
    {
        var builder = new LogBatchBuilder("run-1");
        builder.Add(new Param("lr", "0.1"));
        builder.Add(new Param("lr", "0.1"));

        Assert.Single(builder.Take().Params);
    }

    [Fact]
    public void Take_ResetsTheBuilder()
    {
        var builder = new LogBatchBuilder("run-1");
        builder.Add(new Metric("m", 1, 1));

        builder.Take();

        Assert.True(builder.IsEmpty);
        Assert.Empty(builder.Take().Metrics);
    }
}
