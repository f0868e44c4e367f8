using System.Net;
using System.Text.Json;
using Keel.Client.Protocol;

namespace Keel.Client.Tests;

/// <summary>The registry bodies the client writes and reads use MLflow's names (model_registry.proto) and Keel's lineage shapes.</summary>
public class RegistryJsonShapeTests
{
    private static JsonElement Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonDocument.Parse(JsonSerializer.Serialize(value, type)).RootElement;

    private static string[] PropertyNames(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public void CreateModelVersion_UsesMlflowFieldNames_AndLeavesUnsetFieldsOut()
    {
        var json = Serialize(new CreateModelVersionRequest("churn", "runs:/abc/model", "abc", [new Tag("k", "v")], null, null),
            KeelJsonContext.Default.CreateModelVersionRequest);

        Assert.Equal(["name", "source", "run_id", "tags"], PropertyNames(json));
    }

    [Fact]
    public void VersionRequests_SendTheVersionAsAString()
    {
        var transition = Serialize(new TransitionStageRequest("churn", "3", "Production", true), KeelJsonContext.Default.TransitionStageRequest);
        var alias = Serialize(new SetAliasRequest("churn", "champion", "3"), KeelJsonContext.Default.SetAliasRequest);

        Assert.Equal(["name", "version", "stage", "archive_existing_versions"], PropertyNames(transition));
        Assert.Equal(JsonValueKind.String, transition.GetProperty("version").ValueKind);
        Assert.Equal(["name", "alias", "version"], PropertyNames(alias));
    }

    [Fact]
    public void RegisteredModel_WithStringVersionsAndOmittedLists_Deserializes()
    {
        const string json = """
            {"registered_model": {"name": "churn", "creation_timestamp": "1700000000000", "last_updated_timestamp": 1700000001000,
              "latest_versions": [{"name": "churn", "version": "3", "current_stage": "Production", "source": "runs:/abc/model", "run_id": "abc",
                                   "status": "READY", "aliases": ["champion"]}],
              "aliases": [{"alias": "champion", "version": "3"}]}}
            """;

        var model = JsonSerializer.Deserialize(json, KeelJsonContext.Default.RegisteredModelResponse)!.RegisteredModel!;

        Assert.Equal(1700000000000, model.CreationTimestamp);
        var latest = Assert.Single(model.LatestVersions);
        Assert.Equal(3, latest.Version);
        Assert.Equal(ModelStages.Production, latest.CurrentStage);
        Assert.Equal(["champion"], latest.Aliases);
        Assert.Empty(latest.Tags);
        Assert.Equal(new ModelAlias("champion", 3), Assert.Single(model.Aliases));
        Assert.Empty(model.Tags);
    }

    [Fact]
    public void Lineage_WithNullRun_DeserializesWithEmptyDeployments()
    {
        const string json = """{"model_version": {"name": "m", "version": "1", "source": "s3://b/m"}, "run": null, "deployments": []}""";

        var lineage = JsonSerializer.Deserialize(json, KeelJsonContext.Default.ModelVersionLineage)!;

        Assert.Equal(1, lineage.ModelVersion.Version);
        Assert.Null(lineage.Run);
        Assert.Empty(lineage.Deployments);
    }

    [Fact]
    public void ModelCard_ReadsRunSignatureAndHistory()
    {
        const string json = """
            {"name": "m", "version": "2", "current_stage": "Staging", "aliases": [], "source": "runs:/r/model", "run_id": "r",
             "registered_by": "alice", "registered_at": 1700000000000, "intended_use": "ranking", "limitations": null,
             "signature": {"inputs": [{"name": "x", "type": "double", "required": true}], "outputs": [{"name": null, "type": "tensor float64 (-1)", "required": true}], "params": []},
             "run": {"run_id": "r", "run_name": "sweep", "experiment_id": "1", "experiment_name": "e", "status": "FINISHED", "start_time": 1, "end_time": 2,
                     "user": "bob", "lifecycle_stage": "active", "artifact_uri": "mlflow-artifacts:/1/r/artifacts",
                     "params": [{"key": "lr", "value": "0.1"}], "metrics": [{"key": "auc", "value": "NaN", "timestamp": 3, "step": 4}],
                     "datasets": [{"name": "d", "digest": "x", "source_type": "local", "source": "{}", "context": "training"}]},
             "training_data": [{"name": "d", "digest": "x", "source_type": "local", "source": "{}", "context": "training"}],
             "metrics": [{"key": "auc", "value": 0.9, "timestamp": 3, "step": 4}], "params": [{"key": "lr", "value": "0.1"}],
             "history": [{"id": 7, "time": 5, "actor": "carol", "event_type": "MODEL_VERSION_ALIAS_CREATED", "change": "alias @champion moved to version 3",
                          "alias": "champion", "version": "3", "previous_version": "2", "from_stage": null, "to_stage": null}]}
            """;

        var card = JsonSerializer.Deserialize(json, KeelJsonContext.Default.ModelCard)!;

        Assert.Equal(2, card.Version);
        Assert.Equal("alice", card.RegisteredBy);
        Assert.Equal(new SignatureField("x", "double"), Assert.Single(card.Signature!.Inputs));
        Assert.Null(Assert.Single(card.Signature.Outputs).Name);
        Assert.Equal(RunStatus.Finished, card.Run!.Status);
        Assert.True(double.IsNaN(Assert.Single(card.Run.Metrics).Value));
        Assert.Equal("training", Assert.Single(card.TrainingData).Context);
        var entry = Assert.Single(card.History);
        Assert.Equal((3L, 2L), (entry.Version!.Value, entry.PreviousVersion!.Value));
    }

    [Fact]
    public async Task KeelRouteError_AsProblemDetails_ThrowsWithItsErrorCodeAndDetail()
    {
        const string problem = """
            {"type": "https://tools.ietf.org/html/rfc9110#section-15.5.5", "title": "RESOURCE_DOES_NOT_EXIST", "status": 404,
             "detail": "Model Version (name=m, version=9) not found", "errorCode": "RESOURCE_DOES_NOT_EXIST"}
            """;
        using var handler = new FakeHandler(_ => FakeHandler.Json(problem, HttpStatusCode.NotFound));
        using var client = handler.CreateClient();

        var error = await Assert.ThrowsAsync<KeelApiException>(() => client.GetModelVersionLineageAsync("m", 9));

        Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, error.ErrorCode);
        Assert.Equal("Model Version (name=m, version=9) not found", error.Message);
        Assert.Equal("/api/keel/v1/lineage/models/m/versions/9", Assert.Single(handler.Requests).Path);
    }

    [Theory]
    [InlineData("models:/churn/3", "churn", 3L, null, null)]
    [InlineData("models:/churn@champion", "churn", null, "champion", null)]
    [InlineData("models:/churn/production", "churn", null, null, "Production")]
    [InlineData("models:/churn/latest", "churn", null, null, null)]
    public void ModelUri_Parse_ReadsEachForm(string text, string name, long? version, string? alias, string? stage)
    {
        var uri = ModelUri.Parse(text);

        Assert.Equal((name, version, alias, stage), (uri.Name, uri.Version, uri.Alias, uri.Stage));
        Assert.Equal(text.Replace("production", "Production", StringComparison.Ordinal), uri.ToString());
    }

    [Theory]
    [InlineData("churn/3")]
    [InlineData("models:/churn")]
    [InlineData("models:/churn/3/extra")]
    [InlineData("models:/churn/Prod")]
    [InlineData("models:/@champion")]
    [InlineData("models:/churn@")]
    [InlineData("runs:/abc/model")]
    public void ModelUri_Parse_RefusesMalformedUris(string text)
    {
        Assert.False(ModelUri.TryParse(text, out _));
        Assert.Throws<FormatException>(() => ModelUri.Parse(text));
    }
}
