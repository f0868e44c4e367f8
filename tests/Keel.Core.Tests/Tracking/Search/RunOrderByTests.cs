using Keel.Core.Tracking.Search;

namespace Keel.Core.Tests.Tracking.Search;

public class RunOrderByTests
{
    [Theory]
    [InlineData("metrics.rmse DESC", "Metric", "rmse", false)]
    [InlineData("metrics.rmse desc", "Metric", "rmse", false)]
    [InlineData("metric.rmse", "Metric", "rmse", true)]
    [InlineData("params.lr", "Param", "lr", true)]
    [InlineData("params.lr asc", "Param", "lr", true)]
    [InlineData("attributes.start_time ASC", "Attribute", "start_time", true)]
    [InlineData("start_time", "Attribute", "start_time", true)]
    [InlineData("created DESC", "Attribute", "start_time", false)]
    [InlineData("run_name", "Attribute", "run_name", true)]
    [InlineData("attr.run_id", "Attribute", "run_id", true)]
    [InlineData("tags.`x y`", "Tag", "x y", true)]
    [InlineData("tags.\"x y\" DESC", "Tag", "x y", false)]
    [InlineData("tags.mlflow.runName DESC", "Tag", "mlflow.runName", false)]
    [InlineData("  metrics.`val loss`   DESC ", "Metric", "val loss", false)]
    public void ParseOrderBy_WithValidClause_ReturnsClause(string orderBy, string entity, string key, bool ascending)
    {
        var clause = Assert.Single(RunSearchGrammar.ParseOrderBy([orderBy]));

        Assert.Equal(new OrderByClause(Enum.Parse<SearchEntity>(entity), key, ascending), clause);
    }

    [Fact]
    public void ParseOrderBy_WithSeveralClauses_KeepsTheirOrder()
    {
        var clauses = RunSearchGrammar.ParseOrderBy(["params.lr", "metrics.rmse DESC", "start_time"]);

        Assert.Equal(["lr", "rmse", "start_time"], clauses.Select(c => c.Key));
    }

    [Fact]
    public void ParseOrderBy_WithNull_ReturnsNoClauses()
    {
        Assert.Empty(RunSearchGrammar.ParseOrderBy(null));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("metrics.rmse UP", "found 'UP'")]
    [InlineData("metrics.rmse DESC ASC", "found 'ASC'")]
    [InlineData("metrics.rmse, params.lr", "found ', params.lr'")]
    [InlineData("dataset.name", "dataset")]
    [InlineData("foo", "'foo'")]
    [InlineData("attributes.\"run name\"", "'run name'")]
    [InlineData("metricz.rmse", "'metricz'")]
    [InlineData("metrics.my-metric", "found '-metric'")]
    public void ParseOrderBy_WithInvalidClause_ThrowsInvalidParameter(string orderBy, string expectedInMessage)
    {
        var error = Assert.Throws<KeelException>(() => RunSearchGrammar.ParseOrderBy([orderBy]));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metrics.a", "metric.a DESC")]
    [InlineData("start_time", "created")]
    [InlineData("tags.`x`", "tags.x")]
    public void ParseOrderBy_WithDuplicateField_ThrowsInvalidParameter(string first, string second)
    {
        var error = Assert.Throws<KeelException>(() => RunSearchGrammar.ParseOrderBy([first, second]));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains("duplicate", error.Message, StringComparison.Ordinal);
    }
}
