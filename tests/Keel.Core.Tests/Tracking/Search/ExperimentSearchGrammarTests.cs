using Keel.Core.Tracking.Search;

namespace Keel.Core.Tests.Tracking.Search;

public class ExperimentSearchGrammarTests
{
    [Theory]
    [InlineData("name = 'a'", "Attribute", "name", "Equal")]
    [InlineData("attribute.name != 'a'", "Attribute", "name", "NotEqual")]
    [InlineData("attributes.name LIKE 'a%'", "Attribute", "name", "Like")]
    [InlineData("name ilike 'a%'", "Attribute", "name", "ILike")]
    [InlineData("attributes.creation_time > 5", "Attribute", "creation_time", "Greater")]
    [InlineData("last_update_time <= 5", "Attribute", "last_update_time", "LessOrEqual")]
    [InlineData("tags.owner = 'a'", "Tag", "owner", "Equal")]
    [InlineData("tag.`team name` ILIKE 'a'", "Tag", "team name", "ILike")]
    [InlineData("tags.mlflow.note.content LIKE '%a%'", "Tag", "mlflow.note.content", "Like")]
    public void Parse_WithValidClause_ReturnsComparison(string filter, string entity, string key, string comparator)
    {
        var comparison = Assert.Single(ExperimentSearchGrammar.ParseFilter(filter));

        Assert.Equal(Enum.Parse<SearchEntity>(entity), comparison.Entity);
        Assert.Equal(key, comparison.Key);
        Assert.Equal(Enum.Parse<Comparator>(comparator), comparison.Comparator);
    }

    [Theory]
    [InlineData("metrics.a > 1", "'metrics'")]
    [InlineData("params.a = 'x'", "'params'")]
    [InlineData("experiment_id = '1'", "'experiment_id'")]
    [InlineData("artifact_location = 'x'", "'artifact_location'")]
    [InlineData("name IN ('a', 'b')", "'IN'")]
    [InlineData("name > 'a'", "'>'")]
    [InlineData("creation_time LIKE '1%'", "'LIKE'")]
    [InlineData("creation_time = 'x'", "numeric value")]
    [InlineData("tags.owner > 'a'", "'>'")]
    [InlineData("tags.owner = 5", "quoted string value")]
    [InlineData("name = 'a' OR name = 'b'", "OR is not supported")]
    public void Parse_WithInvalidClause_ThrowsInvalidParameter(string filter, string expectedInMessage)
    {
        var error = Assert.Throws<KeelException>(() => ExperimentSearchGrammar.ParseFilter(filter));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name", "name", true)]
    [InlineData("experiment_id DESC", "experiment_id", false)]
    [InlineData("attribute.creation_time desc", "creation_time", false)]
    [InlineData("last_update_time ASC", "last_update_time", true)]
    public void ParseOrderBy_WithValidClause_ReturnsClause(string orderBy, string key, bool ascending)
    {
        Assert.Equal(new OrderByClause(SearchEntity.Attribute, key, ascending), Assert.Single(ExperimentSearchGrammar.ParseOrderBy([orderBy])));
    }

    [Theory]
    [InlineData("tags.owner", "can only be ordered by")]
    [InlineData("artifact_location", "'artifact_location'")]
    [InlineData("metrics.a", "'metrics'")]
    [InlineData("name sideways", "found 'sideways'")]
    public void ParseOrderBy_WithInvalidClause_ThrowsInvalidParameter(string orderBy, string expectedInMessage)
    {
        var error = Assert.Throws<KeelException>(() => ExperimentSearchGrammar.ParseOrderBy([orderBy]));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }
}
