using System.Net;
using Keel.Testing;

namespace Keel.Client.Tests.Integration;

/// <summary>The client's experiment calls against a real Keel server.</summary>
public abstract class ExperimentIntegrationTests(KeelServerFixture server)
{
    private readonly KeelClient _client = new(server.Http);

    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task CreateExperiment_ThenGetAndGetByName_ReturnTheSameExperimentWithItsTags()
    {
        var name = UniqueName("create");

        var id = await _client.CreateExperimentAsync(name, tags: new Dictionary<string, string> { ["team"] = "ml" });

        var byId = await _client.GetExperimentAsync(id);
        var byName = await _client.GetExperimentByNameAsync(name);
        Assert.Equal(id, byId.ExperimentId);
        Assert.Equal(name, byId.Name);
        Assert.Equal("active", byId.LifecycleStage);
        Assert.Equal($"mlflow-artifacts:/{id}", byId.ArtifactLocation);
        Assert.Contains(new Tag("team", "ml"), byId.Tags);
        Assert.Equal(id, byName.ExperimentId);
        Assert.Equal(byId.CreationTime, byName.CreationTime);
    }

    [Fact]
    public async Task CreateExperiment_WithTakenName_ThrowsResourceAlreadyExists()
    {
        var name = UniqueName("taken");
        await _client.CreateExperimentAsync(name);

        var error = await Assert.ThrowsAsync<KeelApiException>(() => _client.CreateExperimentAsync(name));

        Assert.Equal(KeelErrorCodes.ResourceAlreadyExists, error.ErrorCode);
    }

    [Fact]
    public async Task SearchAllExperiments_WithPageSmallerThanMatches_ReturnsEveryExperimentOnceInOrder()
    {
        var prefix = UniqueName("paging");
        var names = Enumerable.Range(0, 23).Select(i => $"{prefix}-{i:D2}").ToList();
        foreach (var name in names)
        {
            await _client.CreateExperimentAsync(name);
        }

        var query = new ExperimentQuery { Filter = $"name LIKE '{prefix}-%'", OrderBy = ["name ASC"], MaxResults = 5 };
        var first = await _client.SearchExperimentsAsync(query);
        var all = new List<string>();
        await foreach (var experiment in _client.SearchAllExperimentsAsync(query))
        {
            all.Add(experiment.Name);
        }

        Assert.Equal(5, first.Items.Count);
        Assert.NotNull(first.NextPageToken);
        Assert.Equal(names, all);
    }

    [Fact]
    public async Task UpdateExperiment_RenamesIt()
    {
        var id = await _client.CreateExperimentAsync(UniqueName("old"));
        var newName = UniqueName("new");

        await _client.UpdateExperimentAsync(id, newName);

        Assert.Equal(newName, (await _client.GetExperimentAsync(id)).Name);
        Assert.Equal(id, (await _client.GetExperimentByNameAsync(newName)).ExperimentId);
    }

    [Fact]
    public async Task DeleteExperiment_HidesItFromActiveSearch_AndRestoreBringsItBack()
    {
        var name = UniqueName("deleted");
        var id = await _client.CreateExperimentAsync(name);
        var byName = new ExperimentQuery { Filter = $"name = '{name}'" };

        await _client.DeleteExperimentAsync(id);

        Assert.Equal("deleted", (await _client.GetExperimentAsync(id)).LifecycleStage);
        Assert.Empty((await _client.SearchExperimentsAsync(byName)).Items);
        Assert.Single((await _client.SearchExperimentsAsync(byName with { ViewType = ViewType.DeletedOnly })).Items);

        await _client.RestoreExperimentAsync(id);

        Assert.Equal("active", (await _client.GetExperimentAsync(id)).LifecycleStage);
        Assert.Equal(id, Assert.Single((await _client.SearchExperimentsAsync(byName)).Items).ExperimentId);
    }

    [Fact]
    public async Task SetExperimentTag_AddsAndOverwritesTags()
    {
        var id = await _client.CreateExperimentAsync(UniqueName("tags"));

        await _client.SetExperimentTagAsync(id, "owner", "ada");
        await _client.SetExperimentTagAsync(id, "stage", "draft");
        await _client.SetExperimentTagAsync(id, "stage", "final");

        var tags = (await _client.GetExperimentAsync(id)).Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("ada", tags["owner"]);
        Assert.Equal("final", tags["stage"]);
    }

    [Fact]
    public async Task GetExperiment_WithUnknownId_ThrowsResourceDoesNotExistWith404()
    {
        var error = await Assert.ThrowsAsync<KeelApiException>(() => _client.GetExperimentAsync("987654321"));

        Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }
}

public sealed class ExperimentIntegrationTestsOnSqlite(KeelServerFixture server) : ExperimentIntegrationTests(server), IClassFixture<KeelServerFixture>;

public sealed class ExperimentIntegrationTestsOnPostgres(PostgresKeelServerFixture server) : ExperimentIntegrationTests(server), IClassFixture<PostgresKeelServerFixture>;
