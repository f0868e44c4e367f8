using System.Net.Http.Json;
using System.Text.Json;
using Keel.Cli.Commands;
using Keel.Client;
using Keel.Testing;

namespace Keel.Cli.Tests;

/// <summary><c>keel models ...</c> and <c>keel trace</c> against a real Keel server, with the registry filled through the .NET client.</summary>
public sealed class ModelsCommandTests(KeelServerFixture server) : IClassFixture<KeelServerFixture>
{
    private const string Mlmodel = """
        artifact_path: model
        flavors:
          python_function:
            loader_module: mlflow.sklearn
        signature:
          inputs: '[{"type": "double", "name": "distance", "required": true}]'
          outputs: '[{"type": "long", "name": "delayed", "required": true}]'
        """;

    private readonly KeelClient _client = new(server.Http);
    private readonly string _trackingUri = server.BaseAddress.ToString();

    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "--tracking-uri", _trackingUri]);

    /// <summary>Two trained versions that differ in lr, trees (only in v2), auc and loss; v2 is @champion.</summary>
    private async Task<string> RegisterTwoVersionsAsync()
    {
        var name = UniqueName("cli-model");
        var experimentId = await _client.CreateExperimentAsync(name);
        await _client.CreateRegisteredModelAsync(name, "Flight delays");
        foreach (var (lr, auc, trees) in new[] { ("0.1", 0.71, (string?)null), ("0.05", 0.83, "200") })
        {
            var run = await _client.CreateRunAsync(experimentId, $"lr-{lr}");
            Param[] parameters = trees is null ? [new Param("lr", lr), new Param("depth", "6")] : [new Param("lr", lr), new Param("depth", "6"), new Param("trees", trees)];
            await _client.LogBatchAsync(run.Info.RunId, [new Metric("auc", auc, 1700000000000), new Metric("loss", 0.4, 1700000000000)], parameters);
            await _client.LogInputsAsync(run.Info.RunId,
                [new DatasetInput { Tags = [new Tag("mlflow.data.context", "training")], Dataset = new Dataset { Name = "flights", Digest = "d-" + lr, SourceType = "local", Source = "{}" } }]);
            var directory = Directory.CreateTempSubdirectory();
            try
            {
                await File.WriteAllTextAsync(Path.Combine(directory.FullName, "MLmodel"), Mlmodel);
                await _client.UploadArtifactAsync(run.Info.RunId, Path.Combine(directory.FullName, "MLmodel"), "model");
            }
            finally
            {
                directory.Delete(recursive: true);
            }

            await _client.UpdateRunAsync(run.Info.RunId, RunStatus.Finished, run.Info.StartTime + 60_000);
            await _client.CreateModelVersionAsync(name, $"runs:/{run.Info.RunId}/model");
        }

        await _client.SetModelAliasAsync(name, "champion", 2);
        await _client.SetModelVersionTagAsync(name, 2, ModelCard.IntendedUseTag, "Ranking flights by delay risk.");
        return name;
    }

    [Fact]
    public async Task Lineage_PrintsTheRunItsParamsMetricsAndDatasets_ForShorthandAndModelsUris()
    {
        var name = await RegisterTwoVersionsAsync();
        var deployment = UniqueName("cli-dep");
        await _client.Deployments.CreateAsync(deployment, $"models:/{name}@champion", new DeploymentCanary($"models:/{name}/1", 10));

        var table = await RunAsync("models", "lineage", $"{name}/2");
        var viaAlias = await RunAsync("models", "lineage", $"models:/{name}@champion", "--json");

        Assert.Equal(ExitCodes.Success, table.ExitCode);
        Assert.Contains("lr-0.05", table.Output, StringComparison.Ordinal);
        Assert.Contains("FINISHED", table.Output, StringComparison.Ordinal);
        Assert.Contains("trees", table.Output, StringComparison.Ordinal);
        Assert.Contains("0.83", table.Output, StringComparison.Ordinal);
        Assert.Contains("d-0.05", table.Output, StringComparison.Ordinal);
        Assert.Contains("training", table.Output, StringComparison.Ordinal);
        Assert.Matches($@"{deployment}\s*│\s*1\s*│\s*primary\s*│\s*90%\s*│\s*PENDING", table.Output);
        Assert.Equal(ExitCodes.Success, viaAlias.ExitCode);
        var json = JsonDocument.Parse(viaAlias.Output).RootElement;
        Assert.Equal(2, json.GetProperty("model_version").GetProperty("version").GetInt64());
        Assert.Equal("lr-0.05", json.GetProperty("run").GetProperty("run_name").GetString());
        var served = Assert.Single(json.GetProperty("deployments").EnumerateArray());
        Assert.Equal((deployment, "primary", 90L), (served.GetProperty("name").GetString(), served.GetProperty("role").GetString(), served.GetProperty("percent").GetInt64()));
    }

    [Fact]
    public async Task Trace_FollowsAPredictionToItsRevisionPromotionRunAndParams_AndAnUnknownIdIsNotFound()
    {
        var name = await RegisterTwoVersionsAsync();
        var deployment = UniqueName("cli-dep");
        await _client.Deployments.CreateAsync(deployment, $"models:/{name}@champion");
        var id = Guid.NewGuid().ToString();
        (await server.Http.PostAsJsonAsync("/api/keel/v1/predictions", new
        {
            predictions = new[]
            {
                new
                {
                    prediction_id = id, model_name = name, model_version = 2, deployment, revision = 1,
                    inputs = new { distance = 420.0 }, outputs = new { delayed = 1 }, time = 1700000100000,
                },
            },
        })).EnsureSuccessStatusCode();

        var text = await RunAsync("trace", id);
        var json = await RunAsync("trace", id, "--json");
        var missing = await RunAsync("trace", Guid.NewGuid().ToString());

        Assert.Equal(ExitCodes.Success, text.ExitCode);
        Assert.Contains($"Served by deployment {deployment} revision 1: models:/{name}@champion", text.Output, StringComparison.Ordinal);
        Assert.Contains("alias @champion set", text.Output, StringComparison.Ordinal);
        Assert.Contains("lr-0.05", text.Output, StringComparison.Ordinal);
        Assert.Contains("{\"distance\":420}", text.Output, StringComparison.Ordinal);
        var trace = JsonDocument.Parse(json.Output).RootElement;
        Assert.Equal(2, trace.GetProperty("model_version").GetProperty("version").GetInt64());
        Assert.Equal(2, trace.GetProperty("deployment_revision").GetProperty("model_version").GetInt64());
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        Assert.Contains("No prediction with id", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Card_WithMarkdown_PrintsHeadingsAndTables_AndDefaultShowsTheCard()
    {
        var name = await RegisterTwoVersionsAsync();

        var markdown = await RunAsync("models", "card", $"{name}@champion", "--markdown");
        var table = await RunAsync("models", "card", $"{name}@champion");

        Assert.Equal(ExitCodes.Success, markdown.ExitCode);
        Assert.StartsWith($"# {name} version 2\n", markdown.Output, StringComparison.Ordinal);
        Assert.Contains("## Intended use\n\nRanking flights by delay risk.", markdown.Output, StringComparison.Ordinal);
        Assert.Contains("| distance | double | yes |", markdown.Output, StringComparison.Ordinal);
        Assert.Contains("| auc | 0.83 | 0 |", markdown.Output, StringComparison.Ordinal);
        Assert.Contains("alias @champion set", markdown.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, table.ExitCode);
        Assert.Contains("Ranking flights by delay risk.", table.Output, StringComparison.Ordinal);
        Assert.Contains("inputs.distance", table.Output, StringComparison.Ordinal);
        Assert.Contains("set tag keel.card.limitations", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_MarksParamAndMetricDifferences()
    {
        var name = await RegisterTwoVersionsAsync();

        var table = await RunAsync("models", "diff", $"{name}/1", $"models:/{name}@champion");
        var json = await RunAsync("models", "diff", $"{name}/1", $"{name}/2", "--json");

        Assert.Equal(ExitCodes.Success, table.ExitCode);
        var lines = table.Output.Split('\n');
        Assert.Contains(lines, l => l.Contains('≠') && l.Contains(" lr ", StringComparison.Ordinal) && l.Contains("0.1", StringComparison.Ordinal) && l.Contains("0.05", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains('≠') && l.Contains(" auc ", StringComparison.Ordinal) && l.Contains("0.71", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains('+') && l.Contains(" trees ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains('≠') && l.Contains(" depth ", StringComparison.Ordinal));
        Assert.Contains("3 differences", table.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, json.ExitCode);
        var root = JsonDocument.Parse(json.Output).RootElement;
        Assert.Equal(3, root.GetProperty("differences").GetInt32());
        var changes = root.GetProperty("params").EnumerateArray().ToDictionary(p => p.GetProperty("key").GetString()!, p => p.GetProperty("change").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["depth"] = "same", ["lr"] = "changed", ["trees"] = "added" }, changes);
        Assert.All(root.GetProperty("signature").EnumerateArray(), s => Assert.Equal("same", s.GetProperty("change").GetString()));
    }

    [Fact]
    public async Task ListAndShow_NavigateModelsAndVersions()
    {
        var name = await RegisterTwoVersionsAsync();

        var list = await RunAsync("models", "list", "--filter", $"name = '{name}'");
        var listJson = await RunAsync("models", "list", "--filter", $"name LIKE '{name}%'", "--json");
        var model = await RunAsync("models", "show", name);
        var version = await RunAsync("models", "show", $"{name}@champion");
        var versionJson = await RunAsync("models", "show", $"models:/{name}/1", "--json");

        Assert.Equal(ExitCodes.Success, list.ExitCode);
        Assert.Contains(name, list.Output, StringComparison.Ordinal);
        Assert.Contains("@champion→2", list.Output, StringComparison.Ordinal);
        Assert.Equal(name, Assert.Single(JsonDocument.Parse(listJson.Output).RootElement.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(ExitCodes.Success, model.ExitCode);
        Assert.Contains("Versions (2)", model.Output, StringComparison.Ordinal);
        Assert.Contains("Flight delays", model.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, version.ExitCode);
        Assert.Contains("champion", version.Output, StringComparison.Ordinal);
        Assert.Contains(ModelCard.IntendedUseTag, version.Output, StringComparison.Ordinal);
        Assert.Equal(1, JsonDocument.Parse(versionJson.Output).RootElement.GetProperty("version").GetInt64());
    }

    [Theory]
    [InlineData("lineage", "no-such-model/1")]
    [InlineData("card", "no-such-model@champion")]
    [InlineData("show", "no-such-model")]
    [InlineData("show", "models:/no-such-model/latest")]
    public async Task UnknownModel_ExitsNotFound(string verb, string model)
    {
        var result = await RunAsync("models", verb, model);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("no-such-model", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task UnknownVersionOrAlias_ExitsNotFound()
    {
        var name = await RegisterTwoVersionsAsync();

        Assert.Equal(ExitCodes.NotFound, (await RunAsync("models", "card", $"{name}/9")).ExitCode);
        Assert.Equal(ExitCodes.NotFound, (await RunAsync("models", "lineage", $"{name}@nobody")).ExitCode);
        Assert.Equal(ExitCodes.NotFound, (await RunAsync("models", "diff", $"{name}/1", $"{name}/Production")).ExitCode);
    }

    [Theory]
    [InlineData("lineage", "just-a-name")]
    [InlineData("lineage", "models:/m")]
    [InlineData("card", "m/1/extra")]
    [InlineData("card", "m/Prod")]
    [InlineData("show", "m@")]
    public async Task MalformedModelUri_ExitsInvalidArguments(string verb, string model)
    {
        var result = await RunAsync("models", verb, model);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains(model, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_WithAMalformedSecondUri_ExitsInvalidArguments()
    {
        var result = await RunAsync("models", "diff", "m/1", "m");

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains("'m' does not name a model version", result.Error, StringComparison.Ordinal);
    }
}
