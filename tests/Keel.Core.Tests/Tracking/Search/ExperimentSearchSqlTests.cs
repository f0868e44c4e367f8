using Keel.Core.Tracking;
using Keel.Core.Tracking.Search;

namespace Keel.Core.Tests.Tracking.Search;

public sealed class ExperimentSearchSqlTests : IDisposable
{
    private readonly TrackingTestDatabase _db = new();
    private readonly long _default;
    private readonly long _fraud;
    private readonly long _rules;
    private readonly long _old;

    public ExperimentSearchSqlTests()
    {
        _default = _db.AddExperiment("Default", creationTime: 100, lastUpdateTime: 500, tags: [("owner", "alice"), ("team.name", "ml")]);
        _fraud = _db.AddExperiment("fraud-detection", creationTime: 300, lastUpdateTime: 300, tags: [("owner", "Bob")]);
        _rules = _db.AddExperiment("Fraud-Rules", creationTime: 200, lastUpdateTime: 900);
        _old = _db.AddExperiment("old", creationTime: 50, lifecycleStage: "deleted", tags: [("owner", "alice")]);
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public void Build_WithoutFilter_ReturnsActiveExperimentsNewestFirst()
    {
        Assert.Equal([_fraud, _rules, _default], Search(null));
    }

    [Theory]
    [InlineData("DeletedOnly", 1)]
    [InlineData("All", 4)]
    [InlineData("ActiveOnly", 3)]
    public void Build_WithViewType_FiltersByLifecycleStage(string viewName, int expectedCount)
    {
        var view = Enum.Parse<ViewType>(viewName);
        var ids = _db.ExperimentIds(ExperimentSearchSql.Build(view, null, null, 100, 0));

        Assert.Equal(expectedCount, ids.Count);
        Assert.Equal(view != ViewType.ActiveOnly, ids.Contains(_old));
    }

    [Theory]
    [InlineData("name = 'Default'", new[] { "Default" })]
    [InlineData("name = 'default'", new string[0])]
    [InlineData("attribute.name LIKE 'fraud%'", new[] { "fraud-detection" })]
    [InlineData("attributes.name ILIKE 'fraud%'", new[] { "fraud-detection", "Fraud-Rules" })]
    [InlineData("name != 'Default'", new[] { "fraud-detection", "Fraud-Rules" })]
    [InlineData("name LIKE '%-%'", new[] { "fraud-detection", "Fraud-Rules" })]
    [InlineData("attributes.creation_time > 150", new[] { "fraud-detection", "Fraud-Rules" })]
    [InlineData("creation_time = 100", new[] { "Default" })]
    [InlineData("last_update_time <= 500", new[] { "fraud-detection", "Default" })]
    [InlineData("last_update_time >= 500 AND creation_time < 150", new[] { "Default" })]
    [InlineData("tags.owner = 'alice'", new[] { "Default" })]
    [InlineData("tags.owner ILIKE 'b%'", new[] { "fraud-detection" })]
    [InlineData("tags.owner LIKE 'b%'", new string[0])]
    [InlineData("tag.owner != 'alice'", new[] { "fraud-detection" })]
    [InlineData("tags.`team.name` = 'ml'", new[] { "Default" })]
    [InlineData("tags.team.name = 'ml' AND name ILIKE 'd%'", new[] { "Default" })]
    public void Build_WithFilter_ReturnsMatchingExperiments(string filter, string[] expectedNames)
    {
        Assert.Equal(expectedNames.Select(IdOf), Search(filter));
    }

    [Theory]
    [InlineData("name", new[] { "Default", "Fraud-Rules", "fraud-detection" })]
    [InlineData("name DESC", new[] { "fraud-detection", "Fraud-Rules", "Default" })]
    [InlineData("last_update_time DESC", new[] { "Fraud-Rules", "Default", "fraud-detection" })]
    [InlineData("attribute.creation_time ASC", new[] { "Default", "Fraud-Rules", "fraud-detection" })]
    [InlineData("experiment_id DESC", new[] { "Fraud-Rules", "fraud-detection", "Default" })]
    public void Build_WithOrderBy_SortsExperiments(string orderBy, string[] expectedNames)
    {
        Assert.Equal(expectedNames.Select(IdOf), Search(null, [orderBy]));
    }

    [Fact]
    public void Build_WithTies_BreaksThemByExperimentIdAsMlflowDoes()
    {
        using var db = new TrackingTestDatabase();
        var first = db.AddExperiment("b", creationTime: 10, lastUpdateTime: 1);
        var second = db.AddExperiment("a", creationTime: 10, lastUpdateTime: 1);

        // The default ordering breaks ties by ascending id; a caller's ordering by descending id.
        Assert.Equal([first, second], db.ExperimentIds(ExperimentSearchSql.Build(ViewType.ActiveOnly, null, null, 10, 0)));
        Assert.Equal([second, first], db.ExperimentIds(ExperimentSearchSql.Build(ViewType.ActiveOnly, null, ["last_update_time"], 10, 0)));
    }

    [Theory]
    [InlineData(2, 0, new[] { "fraud-detection", "Fraud-Rules" })]
    [InlineData(2, 2, new[] { "Default" })]
    [InlineData(2, 4, new string[0])]
    public void Build_WithLimitAndOffset_ReturnsThatPage(int limit, int offset, string[] expectedNames)
    {
        Assert.Equal(expectedNames.Select(IdOf), _db.ExperimentIds(ExperimentSearchSql.Build(ViewType.ActiveOnly, null, null, limit, offset)));
    }

    [Fact]
    public void Build_KeepsUserValuesAndKeysOutOfTheSql()
    {
        var query = ExperimentSearchSql.Build(ViewType.All, "tags.`secret key` = 'x'' OR 1=1 --' AND name LIKE 'hidden%'", null, 10, 0);

        Assert.Empty(_db.ExperimentIds(query));
        Assert.DoesNotContain("secret key", query.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden", query.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("1=1", query.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithInvalidFilter_ThrowsInvalidParameter()
    {
        var error = Assert.Throws<KeelException>(() => ExperimentSearchSql.Build(ViewType.ActiveOnly, "name IN ('a')", null, 10, 0));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
    }

    private long IdOf(string name) => name switch
    {
        "Default" => _default,
        "fraud-detection" => _fraud,
        "Fraud-Rules" => _rules,
        _ => _old,
    };

    private IReadOnlyList<long> Search(string? filter, IReadOnlyList<string>? orderBy = null) =>
        _db.ExperimentIds(ExperimentSearchSql.Build(ViewType.ActiveOnly, filter, orderBy, 100, 0));
}
