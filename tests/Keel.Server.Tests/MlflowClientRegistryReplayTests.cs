using System.Text;
using System.Net.Http.Json;
using static Keel.Server.Tests.Infrastructure.RegistryApi;

namespace Keel.Server.Tests;

/// <summary>
/// The requests MLflow's Python client sends (rest_store.py, RunsArtifactRepository, ModelsArtifactRepository,
/// MlflowArtifactsRepository), replayed byte for byte in method, path, query and body shape, and the parts of
/// the answers the client reads. Model files are logged through the artifact proxy, registered and downloaded back.
/// </summary>
public abstract class MlflowClientRegistryReplayTests(KeelServerFixture server)
{
    private const string Proxy = "/api/2.0/mlflow-artifacts/artifacts";
    private static readonly byte[] ModelBytes = [1, 2, 3, 4, 5, 250];
    private readonly MlflowApi _api = new(server.Http);

    /// <summary>The MLmodel that mlflow.sklearn.log_model (MLflow 2.10) writes.</summary>
    private static string SklearnMLmodel(string runId) => $"""
        artifact_path: model
        flavors:
          python_function:
            env:
              conda: conda.yaml
              virtualenv: python_env.yaml
            loader_module: mlflow.sklearn
            model_path: model.pkl
            predict_fn: predict
            python_version: 3.11.7
          sklearn:
            code: null
            pickled_model: model.pkl
            serialization_format: cloudpickle
            sklearn_version: 1.3.2
        mlflow_version: 2.10.2
        model_size_bytes: 911
        model_uuid: 4a1ab3d1c4e04a0f8e1b7c36f0b7f1a2
        run_id: {runId}
        utc_time_created: '2024-06-10 12:00:00.000000'

        """;

    /// <summary>mlflow.log_model's upload: MLmodel and the weights under the run's artifact root, through the proxy.</summary>
    private async Task<(string RunId, string ArtifactRoot)> LogModelAsync()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        var artifactUri = (string)(await _api.GetRunAsync(runId))["info"]!["artifact_uri"]!;
        var root = artifactUri["mlflow-artifacts:/".Length..];
        foreach (var (file, content) in new[] { ("MLmodel", Encoding.UTF8.GetBytes(SklearnMLmodel(runId))), ("model.pkl", ModelBytes) })
        {
            using var put = await server.Http.PutAsync($"{Proxy}/{root}/model/{file}", new ByteArrayContent(content));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        return (runId, root);
    }

    private async Task<JsonNode> RegisterAsync(string name, string runId, string artifactRoot)
    {
        // register_model: create the registered model (RESOURCE_ALREADY_EXISTS is expected on later versions) ...
        using (var create = await server.Http.PostAsJsonAsync("/api/2.0/mlflow/registered-models/create", new { name }))
        {
            Assert.True(create.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest);
        }

        // ... resolve runs:/<run>/model to the run's artifact location and check it is a directory ...
        var run = (await _api.GetAsync($"/runs/get?run_id={runId}")).Ok().Json["run"]!;
        var underlying = $"{(string)run["info"]!["artifact_uri"]!}/model";
        var listing = JsonNode.Parse(await server.Http.GetStringAsync($"{Proxy}?path={Uri.EscapeDataString(artifactRoot + "/model")}"))!;
        Assert.NotEmpty(listing["files"]!.AsArray());

        // ... create the version with that source and the run id ...
        var created = (await _api.PostAsync("/model-versions/create", new { name, source = underlying, run_id = runId })).Ok().Json["model_version"]!;
        Assert.Equal("READY", (string)created["status"]!);

        // ... and poll until it is READY (the client's _await_model_version_creation).
        var polled = (await _api.GetAsync($"/model-versions/get?name={Uri.EscapeDataString(name)}&version={(string)created["version"]!}")).Ok().Json["model_version"]!;
        Assert.Equal("READY", (string)polled["status"]!);
        return created;
    }

    /// <summary>download_artifacts for a models:/ URI: get-download-uri, then list and download through the proxy.</summary>
    private async Task<Dictionary<string, byte[]>> DownloadAsync(string name, string version)
    {
        var uri = (string)(await _api.GetAsync($"/model-versions/get-download-uri?name={Uri.EscapeDataString(name)}&version={version}")).Ok().Json["artifact_uri"]!;
        Assert.StartsWith("mlflow-artifacts:/", uri);
        var path = uri["mlflow-artifacts:/".Length..];
        var files = JsonNode.Parse(await server.Http.GetStringAsync($"{Proxy}?path={Uri.EscapeDataString(path)}"))!["files"]!.AsArray();
        var result = new Dictionary<string, byte[]>();
        foreach (var file in files.Where(f => !(bool)f!["is_dir"]!))
        {
            var relative = (string)file!["path"]!;
            result[relative] = await server.Http.GetByteArrayAsync($"{Proxy}/{path}/{relative}");
        }

        return result;
    }

    [Fact]
    public async Task RegisterModel_FromRun_ThenDownloadThroughProxy()
    {
        var (runId, root) = await LogModelAsync();
        var name = UniqueName("registered");

        var version = await RegisterAsync(name, runId, root);

        Assert.Equal("1", (string)version["version"]!);
        Assert.Equal(runId, (string)version["run_id"]!);
        Assert.Equal($"mlflow-artifacts:/{root}/model", (string)version["source"]!);
        var files = await DownloadAsync(name, "1");
        Assert.Equal(["MLmodel", "model.pkl"], files.Keys.Order().ToArray());
        Assert.Equal(ModelBytes, files["model.pkl"]);
    }

    [Fact]
    public async Task RegisterModel_WithRunsUriSource_AsOlderClientsSendIt_ResolvesToTheRunsArtifacts()
    {
        var (runId, root) = await LogModelAsync();
        var name = UniqueName("runs-source");
        await _api.CreateModelAsync(name);

        var version = (await _api.PostAsync("/model-versions/create", new { name, source = $"runs:/{runId}/model", run_id = runId })).Ok().Json["model_version"]!;
        var withoutRunId = (await _api.PostAsync("/model-versions/create", new { name, source = $"runs:/{runId}/model" })).Ok().Json["model_version"]!;
        var relative = (await _api.PostAsync("/model-versions/create", new { name, source = "model", run_id = runId })).Ok().Json["model_version"]!;

        Assert.Equal($"runs:/{runId}/model", (string)version["source"]!);
        Assert.Equal(runId, (string)withoutRunId["run_id"]!);
        foreach (var v in new[] { "1", "2", "3" })
        {
            Assert.Equal($"mlflow-artifacts:/{root}/model",
                (string)(await _api.GetAsync($"/model-versions/get-download-uri?name={name}&version={v}")).Ok().Json["artifact_uri"]!);
            Assert.Equal(ModelBytes, (await DownloadAsync(name, v))["model.pkl"]);
        }

        Assert.Equal("3", (string)relative["version"]!);
    }

    [Fact]
    public async Task ModelsUriSource_CopiesAnotherVersionsLocation()
    {
        var (runId, root) = await LogModelAsync();
        var source = UniqueName("source");
        await RegisterAsync(source, runId, root);
        (await _api.PostAsync("/registered-models/alias", new { name = source, alias = "champion", version = "1" })).Ok();
        var copy = UniqueName("copy");
        await _api.CreateModelAsync(copy);

        await _api.CreateVersionAsync(copy, $"models:/{source}/1");
        await _api.CreateVersionAsync(copy, $"models:/{source}@champion");
        await _api.CreateVersionAsync(copy, $"models:/{source}/latest");

        foreach (var v in new[] { "1", "2", "3" })
        {
            Assert.Equal(ModelBytes, (await DownloadAsync(copy, v))["model.pkl"]);
        }

        (await _api.PostAsync("/model-versions/create", new { name = copy, source = $"models:/{source}/Production" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task AliasStageAndSearch_AsTheClientCallsThem()
    {
        var (runId, root) = await LogModelAsync();
        var name = UniqueName("client");
        await RegisterAsync(name, runId, root);
        await RegisterAsync(name, runId, root);

        // set_registered_model_alias
        var set = (await _api.PostAsync("/registered-models/alias", new { name, alias = "champion", version = "2" })).Ok().Json;
        Assert.Equal("{}", set.ToJsonString());

        // get_model_version_by_alias, then download_artifacts("models:/name@champion")
        var byAlias = (await _api.GetAsync($"/registered-models/alias?name={name}&alias=champion")).Ok().Json["model_version"]!;
        Assert.Equal("2", (string)byAlias["version"]!);
        Assert.Equal("champion", (string)byAlias["aliases"]![0]!);
        Assert.Equal(ModelBytes, (await DownloadAsync(name, (string)byAlias["version"]!))["model.pkl"]);

        // transition_model_version_stage (a few ms later, so the default search order below is not a tie)
        await Task.Delay(5);
        var moved = (await _api.PostAsync("/model-versions/transition-stage",
            new { name, version = "1", stage = "Staging", archive_existing_versions = false })).Ok().Json["model_version"]!;
        Assert.Equal("Staging", (string)moved["current_stage"]!);

        // models:/name/Staging: get-latest-versions (POST first, the client falls back to GET)
        var latest = (await _api.PostAsync("/registered-models/get-latest-versions", new { name, stages = new[] { "Staging" } })).Ok().Json["model_versions"]!;
        Assert.Equal("1", (string)Assert.Single(latest.AsArray())!["version"]!);

        // search_model_versions(filter_string="name='...'"): GET with the query string the client builds
        var search = (await _api.GetAsync($"/model-versions/search?filter={Uri.EscapeDataString($"name='{name}'")}&max_results=10000")).Ok().Json;
        var versions = search["model_versions"]!.AsArray();
        // MLflow's default order is last_updated_timestamp DESC: the transition made version 1 the most recent.
        Assert.Equal(["1", "2"], versions.Select(v => (string)v!["version"]!).ToArray());
        Assert.All(versions, v => Assert.Equal(runId, (string)v!["run_id"]!));
        Assert.Null(search["next_page_token"]);

        // search_registered_models: latest_versions carries one version per stage
        var models = (await _api.GetAsync($"/registered-models/search?filter={Uri.EscapeDataString($"name='{name}'")}&max_results=100")).Ok().Json["registered_models"]!;
        var model = Assert.Single(models.AsArray())!;
        Assert.Equal(["Staging", "None"], model["latest_versions"]!.AsArray().Select(v => (string)v!["current_stage"]!).ToArray());
        Assert.Equal("2", (string)model["aliases"]![0]!["version"]!);
    }
}

public sealed class MlflowClientRegistryReplayTestsOnSqlite(KeelServerFixture server) : MlflowClientRegistryReplayTests(server), IClassFixture<KeelServerFixture>;

public sealed class MlflowClientRegistryReplayTestsOnPostgres(PostgresKeelServerFixture server) : MlflowClientRegistryReplayTests(server), IClassFixture<PostgresKeelServerFixture>;
