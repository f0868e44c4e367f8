using Keel.Core.Tracking.Search;

namespace Keel.Core.Tests.Tracking.Search;

public class RunSearchGrammarTests
{
    [Theory]
    [InlineData("metric.lr < 1", "Metric")]
    [InlineData("metrics.lr < 1", "Metric")]
    [InlineData("param.lr = '1'", "Param")]
    [InlineData("params.lr = '1'", "Param")]
    [InlineData("parameter.lr = '1'", "Param")]
    [InlineData("parameters.lr = '1'", "Param")]
    [InlineData("tag.lr = '1'", "Tag")]
    [InlineData("tags.lr = '1'", "Tag")]
    [InlineData("`tags`.lr = '1'", "Tag")]
    public void Parse_WithEntityAlias_ResolvesEntity(string filter, string expected)
    {
        var comparison = Assert.Single(RunSearchGrammar.ParseFilter(filter));

        Assert.Equal(Enum.Parse<SearchEntity>(expected), comparison.Entity);
        Assert.Equal("lr", comparison.Key);
    }

    [Theory]
    [InlineData("attribute.status = 'X'", "status")]
    [InlineData("attributes.status = 'X'", "status")]
    [InlineData("attr.status = 'X'", "status")]
    [InlineData("run.status = 'X'", "status")]
    [InlineData("status = 'X'", "status")]
    [InlineData("attributes.run_id = 'X'", "run_id")]
    [InlineData("attributes.run_name = 'X'", "run_name")]
    [InlineData("attributes.`Run Name` = 'X'", "run_name")]
    [InlineData("attributes.\"run name\" = 'X'", "run_name")]
    [InlineData("`Run name` = 'X'", "run_name")]
    [InlineData("user_id = 'X'", "user_id")]
    [InlineData("artifact_uri = 'X'", "artifact_uri")]
    [InlineData("start_time > 5", "start_time")]
    [InlineData("created > 5", "start_time")]
    [InlineData("attributes.Created > 5", "start_time")]
    [InlineData("end_time > 5", "end_time")]
    public void Parse_WithAttribute_ResolvesCanonicalKey(string filter, string expectedKey)
    {
        var comparison = Assert.Single(RunSearchGrammar.ParseFilter(filter));

        Assert.Equal(SearchEntity.Attribute, comparison.Entity);
        Assert.Equal(expectedKey, comparison.Key);
    }

    [Theory]
    [InlineData("metrics.`my metric` > 1", "my metric")]
    [InlineData("metrics.\"my metric\" > 1", "my metric")]
    [InlineData("tags.mlflow.runName = 'x'", "mlflow.runName")]
    [InlineData("tags.`mlflow.runName` = 'x'", "mlflow.runName")]
    [InlineData("tags.\"mlflow.source.git.commit\" = 'x'", "mlflow.source.git.commit")]
    [InlineData("params.`a``b` = 'x'", "a`b")]
    [InlineData("params.lr_2 = 'x'", "lr_2")]
    [InlineData("params.`val/loss-1` = 'x'", "val/loss-1")]
    public void Parse_WithQuotedOrDottedKey_ReturnsUnquotedKey(string filter, string expectedKey)
    {
        Assert.Equal(expectedKey, Assert.Single(RunSearchGrammar.ParseFilter(filter)).Key);
    }

    [Theory]
    [InlineData("=", "Equal")]
    [InlineData("!=", "NotEqual")]
    [InlineData("<", "Less")]
    [InlineData("<=", "LessOrEqual")]
    [InlineData(">", "Greater")]
    [InlineData(">=", "GreaterOrEqual")]
    public void Parse_WithMetricComparator_ReturnsNumericComparison(string op, string expected)
    {
        var comparison = Assert.Single(RunSearchGrammar.ParseFilter($"metrics.rmse{op}0.5"));

        Assert.Equal(Enum.Parse<Comparator>(expected), comparison.Comparator);
        Assert.Equal(0.5, Assert.IsType<NumberValue>(comparison.Value).Value);
    }

    [Theory]
    [InlineData("-1", -1.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("2.5E-1", 0.25)]
    [InlineData(".5", 0.5)]
    [InlineData("42", 42.0)]
    public void Parse_WithNumberLiteral_ParsesValue(string literal, double expected)
    {
        var comparison = Assert.Single(RunSearchGrammar.ParseFilter($"metrics.m >= {literal}"));

        Assert.Equal(expected, Assert.IsType<NumberValue>(comparison.Value).Value);
    }

    [Theory]
    [InlineData("params.p = 'a b'", "Equal", "a b")]
    [InlineData("params.p = \"a b\"", "Equal", "a b")]
    [InlineData("params.p != 'x'", "NotEqual", "x")]
    [InlineData("params.p LIKE '%x_'", "Like", "%x_")]
    [InlineData("params.p like 'x'", "Like", "x")]
    [InlineData("params.p ILIKE 'x'", "ILike", "x")]
    [InlineData("params.p iLike 'x'", "ILike", "x")]
    [InlineData("params.p = 'it''s'", "Equal", "it's")]
    [InlineData("params.p = \"say \"\"hi\"\"\"", "Equal", "say \"hi\"")]
    [InlineData("params.p = 'a AND b'", "Equal", "a AND b")]
    [InlineData("tags.t = ''", "Equal", "")]
    public void Parse_WithStringComparison_ReturnsStringValue(string filter, string comparator, string value)
    {
        var comparison = Assert.Single(RunSearchGrammar.ParseFilter(filter));

        Assert.Equal(Enum.Parse<Comparator>(comparator), comparison.Comparator);
        Assert.Equal(value, Assert.IsType<StringValue>(comparison.Value).Value);
    }

    [Theory]
    [InlineData("params.p IN ('a', \"b\")", "In")]
    [InlineData("tags.p in('a',\"b\")", "In")]
    [InlineData("attributes.run_id NOT IN ( 'a' , 'b' )", "NotIn")]
    [InlineData("dataset.name not in ('a', 'b')", "NotIn")]
    public void Parse_WithInList_ReturnsListValue(string filter, string comparator)
    {
        var comparison = Assert.Single(RunSearchGrammar.ParseFilter(filter));

        Assert.Equal(Enum.Parse<Comparator>(comparator), comparison.Comparator);
        Assert.Equal(["a", "b"], Assert.IsType<ListValue>(comparison.Value).Values);
    }

    [Theory]
    [InlineData("dataset.name = 'd'", "name")]
    [InlineData("datasets.digest LIKE 'd%'", "digest")]
    [InlineData("dataset.context ILIKE 'train%'", "context")]
    public void Parse_WithDatasetKey_ReturnsDatasetComparison(string filter, string key)
    {
        var comparison = Assert.Single(RunSearchGrammar.ParseFilter(filter));

        Assert.Equal(SearchEntity.Dataset, comparison.Entity);
        Assert.Equal(key, comparison.Key);
    }

    [Theory]
    [InlineData("metrics.a > 1 AND params.b = 'x' and tags.c != 'y' And attributes.status = 'FINISHED'")]
    [InlineData("  metrics.a>1   AND\tparams.b='x'AND tags.c!='y' AND status='FINISHED'  ")]
    public void Parse_WithAndedClauses_ReturnsEveryClauseInOrder(string filter)
    {
        var comparisons = RunSearchGrammar.ParseFilter(filter);

        Assert.Equal(
            [SearchEntity.Metric, SearchEntity.Param, SearchEntity.Tag, SearchEntity.Attribute],
            comparisons.Select(c => c.Entity));
        Assert.Equal(["a", "b", "c", "status"], comparisons.Select(c => c.Key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_WithEmptyFilter_ReturnsNoClauses(string? filter)
    {
        Assert.Empty(RunSearchGrammar.ParseFilter(filter));
    }

    [Theory]
    [InlineData("metrics.a > 1 OR metrics.b > 1", "OR is not supported")]
    [InlineData("metrics.a > 1 or metrics.b > 1", "OR is not supported")]
    [InlineData("metric.a > 1 AND", "ends with AND")]
    [InlineData("metrics.a > 1 metrics.b > 1", "'metrics.b > 1'")]
    [InlineData("(metrics.a > 1)", "'(metrics.a > 1)'")]
    [InlineData("metricz.a > 1", "'metricz'")]
    [InlineData("METRICS.a > 1", "'METRICS'")]
    [InlineData("attributes.experiment_id = '1'", "'experiment_id'")]
    [InlineData("foo = 'x'", "'foo'")]
    [InlineData("dataset.source = 'x'", "'source'")]
    [InlineData("metrics. > 1", "found '> 1'")]
    [InlineData("metrics.`` > 1", "Missing key")]
    [InlineData("tags.`a`.b = 'x'", "quote the whole key")]
    [InlineData("metrics.my-metric > 1", "'-metric > 1'")]
    [InlineData("metrics.a LIKE '1'", "'LIKE'")]
    [InlineData("metrics.a IN ('1')", "'IN'")]
    [InlineData("params.a > '1'", "'>'")]
    [InlineData("tags.a <= '1'", "'<='")]
    [InlineData("attributes.status > 'x'", "'>'")]
    [InlineData("attributes.run_id < 'x'", "'<'")]
    [InlineData("attributes.start_time LIKE '1'", "'LIKE'")]
    [InlineData("dataset.name >= 'x'", "'>='")]
    [InlineData("metrics.a <> 1", "'<>'")]
    [InlineData("metrics.a == 1", "'=='")]
    [InlineData("metrics.a ~ 1", "'~ 1'")]
    [InlineData("params.a NOT 'x'", "NOT")]
    [InlineData("metrics.a = 'x'", "numeric value for metric 'a'")]
    [InlineData("attributes.end_time = 'x'", "numeric value for attribute 'end_time'")]
    [InlineData("params.a = 1", "quoted string value")]
    [InlineData("tags.a = x", "'x'")]
    [InlineData("params.a = 'x", "unterminated")]
    [InlineData("params.a = ", "expected a value")]
    [InlineData("params.a", "the end")]
    [InlineData("params.a IN ()", "non-empty list")]
    [InlineData("params.a IN ('x',)", "non-empty list")]
    [InlineData("params.a IN ('x' 'y')", "expected ',' or ')'")]
    [InlineData("params.a IN (1, 2)", "'1, 2)'")]
    [InlineData("params.a IN 'x'", "list of quoted strings")]
    [InlineData("params.a = ('x')", "quoted string value")]
    [InlineData("metrics.a > 1abc", "'1abc'")]
    public void Parse_WithInvalidFilter_ThrowsInvalidParameter(string filter, string expectedInMessage)
    {
        var error = Assert.Throws<KeelException>(() => RunSearchGrammar.ParseFilter(filter));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains(expectedInMessage, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Parse_WithOrClause_ThrowsInvalidParameter()
    {
        var error = Assert.Throws<KeelException>(() => RunSearchGrammar.ParseFilter("params.a = 'x' OR params.a = 'y'"));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains("OR", error.Message, StringComparison.Ordinal);
    }
}
