using Keel.Testing;

namespace Keel.Client.Tests.Integration;

/// <summary>The client's registry, lineage and card calls against a real Keel server.</summary>
public abstract class RegistryIntegrationTests(KeelServerFixture server)
{
    private readonly KeelClient _client = new(server.Http);

    private static string UniqueName(string prefix = "model") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>A finished run with a param, a metric, a training dataset and a model file.</summary>
    private async Task<Run> TrainAsync()
    {
        var experimentId = await _client.CreateExperimentAsync(UniqueName("registry"));
        var run = await _client.CreateRunAsync(experimentId, "train");
        await _client.LogBatchAsync(run.Info.RunId, [new Metric("auc", 0.9, 1700000000000, 5)], [new Param("lr", "0.1")]);
        await _client.LogInputsAsync(run.Info.RunId,
        [
            new DatasetInput
            {
                Tags = [new Tag("mlflow.data.context", "training")],
                Dataset = new Dataset { Name = "flights", Digest = "d1", SourceType = "local", Source = "{\"uri\": \"flights.csv\"}" },
            },
        ]);
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "weights");
            await _client.UploadArtifactAsync(run.Info.RunId, file, "model");
        }
        finally
        {
            File.Delete(file);
        }

        await _client.UpdateRunAsync(run.Info.RunId, RunStatus.Finished, run.Info.StartTime + 1000);
        return run;
    }

    [Fact]
    public async Task RegisteredModel_CreateGetRenameTagSearchDelete_RoundTrips()
    {
        var name = UniqueName();
        var created = await _client.CreateRegisteredModelAsync(name, "first", new Dictionary<string, string> { ["team"] = "ml" });
        await _client.SetRegisteredModelTagAsync(name, "tier", "gold");
        var renamed = await _client.RenameRegisteredModelAsync(name, name + "-v2");
        var updated = await _client.UpdateRegisteredModelAsync(name + "-v2", "second");
        var found = await _client.SearchRegisteredModelsAsync(new RegisteredModelQuery { Filter = $"name = '{name}-v2'" });
        var all = new List<RegisteredModel>();
        await foreach (var model in _client.SearchAllRegisteredModelsAsync(new RegisteredModelQuery { Filter = $"name LIKE '{name}%'", MaxResults = 1 }))
        {
            all.Add(model);
        }

        await _client.DeleteRegisteredModelAsync(name + "-v2");

        Assert.Equal(name, created.Name);
        Assert.Equal("first", created.Description);
        Assert.Equal(name + "-v2", renamed.Name);
        Assert.Equal("second", updated.Description);
        var hit = Assert.Single(found.Items);
        Assert.Equal(["team=ml", "tier=gold"], hit.Tags.Select(t => $"{t.Key}={t.Value}").Order().ToArray());
        Assert.Single(all);
        var error = await Assert.ThrowsAsync<KeelApiException>(() => _client.GetRegisteredModelAsync(name + "-v2"));
        Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, error.ErrorCode);
    }

    [Fact]
    public async Task ModelVersion_FromARun_TagsAliasesStagesAndDownloadUri()
    {
        var run = await TrainAsync();
        var name = UniqueName();
        await _client.CreateRegisteredModelAsync(name);

        var v1 = await _client.CreateModelVersionAsync(name, $"runs:/{run.Info.RunId}/model", description: "baseline");
        var v2 = await _client.CreateModelVersionAsync(name, "s3://elsewhere/model", tags: new Dictionary<string, string> { ["k"] = "v" });
        await _client.SetModelVersionTagAsync(name, 1, ModelCard.IntendedUseTag, "Ranking flights.");
        await _client.SetModelAliasAsync(name, "champion", 1);
        var production = await _client.TransitionModelVersionStageAsync(name, 1, ModelStages.Production);
        var uri = await _client.GetModelVersionDownloadUriAsync(name, 1);
        var byAlias = await _client.GetModelVersionByAliasAsync(name, "champion");
        var versions = await _client.SearchModelVersionsAsync(new ModelVersionQuery { Filter = $"name = '{name}'", OrderBy = ["version_number ASC"] });
        var updated = await _client.UpdateModelVersionAsync(name, 2, "external");
        await _client.DeleteModelVersionTagAsync(name, 2, "k");
        await _client.DeleteModelAliasAsync(name, "champion");
        await _client.DeleteModelVersionAsync(name, 2);

        Assert.Equal((1L, run.Info.RunId, "baseline"), (v1.Version, v1.RunId, v1.Description));
        Assert.Equal(2, v2.Version);
        Assert.Null(v2.RunId);
        Assert.Equal(ModelStages.Production, production.CurrentStage);
        Assert.Equal($"{run.Info.ArtifactUri}/model", uri);
        Assert.Equal(1, byAlias.Version);
        Assert.Contains(new Tag(ModelCard.IntendedUseTag, "Ranking flights."), byAlias.Tags);
        Assert.Equal([1L, 2L], versions.Items.Select(v => v.Version).ToArray());
        Assert.Equal("external", updated.Description);
        var remaining = await _client.GetRegisteredModelAsync(name);
        Assert.Empty(remaining.Aliases);
        Assert.Equal([1L], remaining.LatestVersions.Select(v => v.Version).ToArray());
    }

    [Fact]
    public async Task ResolveModelUri_FindsVersionsByNumberAliasStageAndLatest()
    {
        var name = UniqueName();
        await _client.CreateRegisteredModelAsync(name);
        for (var i = 0; i < 3; i++)
        {
            await _client.CreateModelVersionAsync(name, $"s3://bucket/model-{i}");
        }

        await _client.SetModelAliasAsync(name, "champion", 2);
        await _client.TransitionModelVersionStageAsync(name, 1, ModelStages.Production);

        Assert.Equal(3, (await _client.ResolveModelUriAsync($"models:/{name}/3")).Version);
        Assert.Equal(2, (await _client.ResolveModelUriAsync($"models:/{name}@champion")).Version);
        Assert.Equal(1, (await _client.ResolveModelUriAsync($"models:/{name}/Production")).Version);
        Assert.Equal(3, (await _client.ResolveModelUriAsync($"models:/{name}/latest")).Version);
        foreach (var missing in new[] { $"models:/{name}/9", $"models:/{name}@nobody", $"models:/{name}/Staging", "models:/no-such-model@champion" })
        {
            var error = await Assert.ThrowsAsync<KeelApiException>(() => _client.ResolveModelUriAsync(missing));
            Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, error.ErrorCode);
        }

        await Assert.ThrowsAsync<FormatException>(() => _client.ResolveModelUriAsync($"{name}/3"));
    }

    [Fact]
    public async Task LineageAndCard_OfAVersionFromARun_CarryTheRunsDataAndHistory()
    {
        var run = await TrainAsync();
        var name = UniqueName();
        await _client.CreateRegisteredModelAsync(name);
        await _client.CreateModelVersionAsync(name, $"runs:/{run.Info.RunId}/model");
        await _client.SetModelVersionTagAsync(name, 1, ModelCard.LimitationsTag, "Winter data only.");
        await _client.SetModelAliasAsync(name, "champion", 1);

        var lineage = await _client.GetModelVersionLineageAsync(name, 1);
        var card = await _client.GetModelCardAsync(name, 1);
        var markdown = await _client.GetModelCardMarkdownAsync(name, 1);

        Assert.Equal(run.Info.RunId, lineage.Run!.RunId);
        Assert.Equal(RunStatus.Finished, lineage.Run.Status);
        Assert.Equal(new Param("lr", "0.1"), Assert.Single(lineage.Run.Params));
        Assert.Equal(0.9, Assert.Single(lineage.Run.Metrics).Value);
        Assert.Equal("training", Assert.Single(lineage.Run.Datasets).Context);
        Assert.Empty(lineage.Deployments);
        Assert.Equal("Winter data only.", card.Limitations);
        Assert.Null(card.Signature);
        Assert.Equal("anonymous", card.RegisteredBy);
        Assert.Equal("alias @champion set", Assert.Single(card.History).Change);
        Assert.StartsWith($"# {name} version 1", markdown, StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<KeelApiException>(() => _client.GetModelCardAsync(name, 5));
        Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, error.ErrorCode);
    }
}

public sealed class RegistryIntegrationTestsOnSqlite(KeelServerFixture server) : RegistryIntegrationTests(server), IClassFixture<KeelServerFixture>;

public sealed class RegistryIntegrationTestsOnPostgres(PostgresKeelServerFixture server) : RegistryIntegrationTests(server), IClassFixture<PostgresKeelServerFixture>;
