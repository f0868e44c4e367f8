using Keel.Cli.Commands;
using Keel.Core.Artifacts;
using Keel.Core.Models;
using Keel.Core.Storage;
using Keel.Cli.Demo;
using Keel.Client;
using Keel.Testing;
using Microsoft.Extensions.Options;

namespace Keel.Cli.Tests.Demo;

/// <summary>
/// <c>keel demo</c> end to end: the embedded server, a real training sweep, and then what another server
/// finds in the same data directory.
/// </summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "keel-demo-it-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => KeelServerFixture.TryDelete(_data);

    [Fact]
    public async Task Demo_WithFreePort_LeavesFourFinishedRunsWithParamsHistoryInputAndModelPackage_TwoDataVersions_AndADriftAlertDeliveredToItsWebhook()
    {
        var result = await RunWithoutTrackingUriVariableAsync("demo", "--port", "0", "--data", _data);

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit code {result.ExitCode}: {result.Error}\n{result.Output}");
        await using var server = await KeelServerFixture.StartAsync(_data);
        var client = new KeelClient(server.Http);
        var versions = await client.Data.ListVersionsAsync(DemoDatasets.DatasetName);
        Assert.Equal([1L, 2L], versions.Select(v => v.Version));
        var training = versions[0];
        var experiment = await client.GetExperimentByNameAsync(DemoRunner.ExperimentName);
        var runs = new List<Run>();
        await foreach (var run in client.SearchAllRunsAsync(new RunQuery { ExperimentIds = [experiment.ExperimentId] }))
        {
            runs.Add(run);
        }

        Assert.Equal(SweepPlan.Default.Select(c => c.Name).Order(StringComparer.Ordinal), runs.Select(r => r.Info.RunName).Order(StringComparer.Ordinal));
        foreach (var run in runs)
        {
            var configuration = SweepPlan.Default.Single(c => c.Name == run.Info.RunName);
            Assert.Equal(RunStatus.Finished, run.Info.Status);
            Assert.Equal(configuration.Params, run.Data.Params.ToDictionary(p => p.Key, p => p.Value));

            var valAuc = await client.GetMetricHistoryAsync(run.Info.RunId, "val_auc");
            Assert.Equal(10, valAuc.Count);
            Assert.Equal(valAuc.Select(m => m.Step).Order(), valAuc.Select(m => m.Step));
            Assert.All(valAuc, m => Assert.InRange(m.Value, 0.0, 1.0));

            var input = Assert.Single(run.Inputs.DatasetInputs);
            Assert.Equal((DemoDatasets.DatasetName, "keel", $"data:/{DemoDatasets.DatasetName}@1", training.Digest[..32]),
                (input.Dataset.Name, input.Dataset.SourceType, input.Dataset.Source, input.Dataset.Digest));
            Assert.Contains(new Tag("mlflow.data.context", "training"), input.Tags);

            var files = (await client.ListArtifactsAsync(run.Info.RunId, "model")).Files;
            Assert.Equal(
                ["MLmodel", "input_example.json", "model.onnx", "model.zip", "requirements.txt", "serving_input_example.json"],
                files.Select(f => Path.GetFileName(f.Path)).Order(StringComparer.Ordinal));
            Assert.All(files, f => Assert.True(f.FileSize > 0, $"{f.Path} is empty"));

            var store = new LocalArtifactStore(Options.Create(new StorageOptions { DataDirectory = _data }));
            var root = run.Info.ArtifactUri["mlflow-artifacts:/".Length..] + "/model";
            var report = await ModelPackageValidator.ValidateAsync(new ModelPackageReader(store, root), CancellationToken.None);
            Assert.True(report.IsValid, string.Join("; ", report.Errors));
            Assert.Equal(["mlnet", "onnx", "python_function"], report.Model!.Flavors.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(["Hour", "DayOfWeek", "Distance", "Origin", "Destination", "Label"], report.Signature!.Inputs.Specs.Select(s => s.Name));
            Assert.Contains("mlflow.log-model.history", run.Data.Tags.Select(t => t.Key));
        }

        // The best run's package is registered (checked, with its signature) and is the champion.
        var best = runs.MaxBy(r => r.Data.Metrics.Single(m => m.Key == "val_auc").Value)!;
        var champion = await client.GetModelVersionByAliasAsync(DemoRunner.ModelName, DemoRunner.ChampionAlias);
        Assert.Equal(best.Info.RunId, champion.RunId);
        Assert.Equal(1, champion.Version);
        Assert.DoesNotContain(champion.Tags, t => t.Key == "keel.package.warnings");
        var card = await client.GetModelCardAsync(DemoRunner.ModelName, champion.Version);
        Assert.Equal(["Hour", "DayOfWeek", "Distance", "Origin", "Destination", "Label"], card.Signature!.Inputs.Select(f => f.Name));
        Assert.Contains("champion", result.Output, StringComparison.Ordinal);
        var lineage = await client.GetModelVersionLineageAsync(DemoRunner.ModelName, champion.Version);
        Assert.Equal((DemoDatasets.DatasetName, 1L, training.Digest), (lineage.DataVersions[0].Name, lineage.DataVersions[0].Version, lineage.DataVersions[0].Digest));

        // It became the champion through the release gate, checked by the server against its evaluation run; the
        // runner-up, never evaluated, was refused.
        Assert.Contains(champion.Tags, t => t.Key == "keel.gate." + DemoRunner.GateName && t.Value == "passed");
        var evaluationRunId = champion.Tags.Single(t => t.Key == "keel.evaluation.run_id").Value;
        Assert.Equal(evaluationRunId, champion.Tags.Single(t => t.Key == $"keel.gate.{DemoRunner.GateName}.run_id").Value);
        var evaluation = await client.GetRunAsync(evaluationRunId);
        Assert.InRange(evaluation.Data.Metrics.Single(m => m.Key == "roc_auc").Value, 0.6, 1.0);
        Assert.Contains(evaluation.Data.Metrics, m => m.Key == "slice_gap.Haul.roc_auc");
        var runnerUp = await client.GetModelVersionAsync(DemoRunner.ModelName, 2);
        Assert.DoesNotContain(runnerUp.Tags, t => t.Key.StartsWith("keel.gate.", StringComparison.Ordinal));
        Assert.Contains("Promoting version 2 to @champion is refused", result.Output, StringComparison.Ordinal);

        // The second version is the held-out flights' long-haul part: the same file, fewer rows, distance shifted.
        var heldOut = FlightsData.Load(FlightsSample.TrainingMonthPath).Split().Validation;
        var diff = await client.Data.DiffAsync($"{DemoDatasets.DatasetName}@1", $"{DemoDatasets.DatasetName}@2");
        var change = Assert.Single(diff.Changes);
        Assert.Equal(DemoDatasets.FileName, change.Path);
        var table = Assert.Single(diff.Tables);
        Assert.Equal((20_000L, (long)heldOut.Count(f => f.Distance >= DemoDatasets.LongHaulMiles)), (table.OldRows, table.NewRows));
        Assert.Equal("major", table.Shifts.Single(s => s.Column == "distance").Level);
        Assert.Contains($"data:/{DemoDatasets.DatasetName}@2", result.Output, StringComparison.Ordinal);
        Assert.Contains($"{DemoDatasets.FileName}: rows 20000 → {table.NewRows}", result.Output, StringComparison.Ordinal);

        // Deployed in-process, a canary of the runner-up (version 2), then rolled back; the embedded server's graceful
        // stop flushed every prediction to the log before the data directory was reopened here.
        var revisions = await client.Deployments.ListRevisionsAsync(DemoRunner.DeploymentName);
        Assert.Equal(["rolled back to revision 1", $"canary set to models:/{DemoRunner.ModelName}/2 at {DemoRunner.CanaryPercent}%", "created"],
            revisions.Select(r => r.Cause));
        Assert.All(revisions, r => Assert.Equal("LIVE", r.Status));
        Assert.Equal($"models:/{DemoRunner.ModelName}/1", revisions[0].Model);
        var predictions = new List<System.Text.Json.Nodes.JsonNode>();
        long? after = null;
        do
        {
            var page = System.Text.Json.Nodes.JsonNode.Parse(await server.Http.GetStringAsync(
                $"/api/keel/v1/predictions?model={DemoRunner.ModelName}&max_results=10000" + (after is null ? "" : $"&after={after}")))!;
            predictions.AddRange(page["predictions"]?.AsArray().Select(p => p!) ?? []);
            after = (long?)page["next_after"];
        }
        while (after is not null);

        // Steps 4-6, then regular traffic up to a whole window, then the long-haul batch as the next window.
        var shifted = DemoDatasets.Shift(heldOut);
        var served = 1 + DemoRunner.BaselineRequests + DemoRunner.CanaryRequests + DemoRunner.RollbackRequests;
        Assert.True(served < shifted.Count, $"the test reads window 0 as steps 4-6 plus padding: {served} vs {shifted.Count}");
        Assert.Equal(2 * shifted.Count, predictions.Count);
        Assert.All(predictions, p => Assert.Equal(DemoRunner.DeploymentName, (string)p["deployment"]!));
        var canaryRows = predictions.Where(p => (long)p["revision"]! == 2).ToList();
        Assert.Equal(DemoRunner.CanaryRequests, canaryRows.Count);
        Assert.InRange(canaryRows.Count(p => (long)p["model_version"]! == 2), 60, 140);
        Assert.All(predictions.Where(p => (long)p["revision"]! != 2), p => Assert.Equal(1, (long)p["model_version"]!));
        Assert.Equal(predictions.Count - served + DemoRunner.RollbackRequests, predictions.Count(p => (long)p["revision"]! == 3));
        Assert.All(predictions.Take(shifted.Count).Skip(served), p => Assert.True((double)p["inputs"]!["Distance"]! < DemoDatasets.LongHaulMiles));
        Assert.Equal(shifted.Select(f => (double)f.Distance), predictions.Skip(shifted.Count).Select(p => (double)p["inputs"]!["Distance"]!));
        Assert.Contains("6. Rollback", result.Output, StringComparison.Ordinal);

        // The monitor: count windows of the batch's size against the training rows in the signature's columns.
        var monitor = Assert.Single(await client.Monitoring.ListAsync());
        Assert.Equal((DemoRunner.DeploymentName, $"data:/{DemoDatasets.ModelInputsName}@1", "count", (long)shifted.Count),
            (monitor.Deployment, monitor.Reference, monitor.WindowKind, monitor.WindowSize));
        var reports = await client.Monitoring.ListReportsAsync(monitor.Name);
        Assert.Equal([1L, 0L], reports.Select(r => r.Window));
        var batch = await client.Monitoring.GetReportAsync(monitor.Name, 1);
        Assert.Equal(((long)shifted.Count, (long)shifted.Count, false), (batch.Rows, batch.Labelled, batch.Dirty));
        var columns = batch.Report!.Value.GetProperty("drift").GetProperty("columns").EnumerateArray()
            .ToDictionary(c => c.GetProperty("column").GetString()!, c => c);
        Assert.Equal(["DayOfWeek", "Destination", "Distance", "Hour", "Label", "Origin"], columns.Keys.Order(StringComparer.Ordinal));
        var distance = columns["Distance"];
        Assert.Equal(("wasserstein_normed", true), (distance.GetProperty("test").GetString(), distance.GetProperty("drifted").GetBoolean()));
        Assert.True(distance.GetProperty("statistic").GetDouble() > 1.0, distance.GetRawText());
        Assert.True(batch.DatasetDrift);
        // The labels joined every prediction of the batch: none was rejected, and the decay check compared with the source run.
        Assert.Contains($"{shifted.Count:N0} accepted, 0 rejected", result.Output, StringComparison.Ordinal);
        var decay = batch.Report!.Value.GetProperty("decay");
        Assert.Equal((DemoRunner.DecayMetric, "roc_auc"), (decay.GetProperty("run_metric").GetString(), decay.GetProperty("window_metric").GetString()));
        Assert.Equal(best.Data.Metrics.Single(m => m.Key == DemoRunner.DecayMetric).Value, decay.GetProperty("baseline").GetDouble(), 1e-9);

        // The batch opened a Distance alert, delivered (signed) to the demo's receiver; the webhook is left disabled.
        var alert = Assert.Single(await client.Monitoring.ListAlertsAsync(monitor.Name, "OPEN"), a => a.Subject == "Distance");
        Assert.Equal(("feature_drift", 1L), (alert.Rule, alert.OpenedWindow));
        var webhooks = System.Text.Json.Nodes.JsonNode.Parse(await server.Http.GetStringAsync("/api/2.0/mlflow/webhooks"))!["webhooks"]!.AsArray();
        var webhook = Assert.Single(webhooks, w => (string)w!["name"]! == monitor.Name)!;
        Assert.Equal("DISABLED", (string)webhook["status"]!);
        var deliveries = System.Text.Json.Nodes.JsonNode.Parse(await server.Http.GetStringAsync(
            $"/api/keel/v1/webhooks/{(string)webhook["webhook_id"]!}/deliveries"))!["deliveries"]!.AsArray();
        Assert.NotEmpty(deliveries);
        Assert.All(deliveries, d => Assert.True((bool)d!["success"]!, d!.ToJsonString()));
        Assert.Contains("signatures verified", result.Output, StringComparison.Ordinal);
    }

    // The demo uses MLFLOW_TRACKING_URI when it is set; this test is about the embedded server.
    private static async Task<CliResult> RunWithoutTrackingUriVariableAsync(params string[] args)
    {
        var previous = Environment.GetEnvironmentVariable(TrackingUri.EnvironmentVariable);
        Environment.SetEnvironmentVariable(TrackingUri.EnvironmentVariable, null);
        try
        {
            return await CliRunner.RunAsync(args);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TrackingUri.EnvironmentVariable, previous);
        }
    }
}
