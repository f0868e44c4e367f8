using System.Net.Http.Json;

namespace Keel.Server.Tests;

/// <summary>Ground truth joined to predictions by id: rejected ids answered back, late labels recomputing their window, decay and staleness.</summary>
public abstract class FeedbackTests(KeelServerFixture server)
{
    private readonly MonitoringApi _api = new(server.Http);
    private readonly MlflowApi _mlflow = new(server.Http);

    /// <summary>The label the model should have given: it predicts 1 exactly when x &gt; 0.5.</summary>
    private static int Truth(int i, int n) => MonitoringApi.Row(i, n, 0).X > 0.5 ? 1 : 0;

    [Fact]
    public async Task Labels_JoinByPredictionId_RejectOthersWithReasons_AndLateLabelsRecomputeTheirWindow()
    {
        var reference = await _api.AddReferenceAsync();
        var deployment = MonitoringApi.Unique("dep");
        var other = MonitoringApi.Unique("other");
        var monitor = MonitoringApi.Unique("mon");
        await _api.CreateMonitorAsync(new { name = monitor, deployment, reference, every = 100, settings = new { score_column = "score" } });
        var ids = await _api.SendPredictionsAsync(deployment, 100, 0);
        var othersId = (await _api.SendPredictionsAsync(other, 1, 0))[0];
        await _api.EvaluateAsync(monitor);
        Assert.Equal(0, (long)(await _api.ReportAsync(monitor, 0))["labelled"]!);
        var unknown = Guid.NewGuid().ToString();

        // The last 20 labels are wrong: accuracy 0.8.
        var labels = ids.Select((id, i) => (object)new { prediction_id = id, label = i < 80 ? Truth(i, 100) : 1 - Truth(i, 100) })
            .Append(new { prediction_id = unknown, label = 1 })
            .Append(new { prediction_id = othersId, label = 1 })
            .ToList();
        var answer = await _api.FeedbackAsync(deployment, labels);

        Assert.Equal(100, (int)answer["accepted"]!);
        var rejected = answer["rejected"]!.AsArray().ToDictionary(r => (string)r!["prediction_id"]!, r => (string)r!["reason"]!);
        Assert.Equal("unknown prediction id", rejected[unknown]);
        Assert.Contains(other, rejected[othersId], StringComparison.Ordinal);
        Assert.True((bool)(await _api.ReportAsync(monitor, 0))["dirty"]!);

        Assert.Contains(0L, (await _api.EvaluateAsync(monitor))["computed_windows"]!.AsArray().Select(w => (long)w!));
        var report = await _api.ReportAsync(monitor, 0);
        Assert.False((bool)report["dirty"]!);
        Assert.Equal(100, (long)report["labelled"]!);
        var performance = report["report"]!["performance"]!;
        Assert.Equal("classification", (string)performance["task"]!);
        Assert.Equal(0.8, (double)performance["accuracy"]!, 9);
        Assert.Equal(["0", "1"], performance["classes"]!.AsArray().Select(c => (string)c!));

        // Days later the wrong labels are corrected (one alone, the rest in a batch): the last label of a prediction wins.
        var single = await server.Http.PostAsJsonAsync($"/api/keel/v1/deployments/{deployment}/feedback", new { prediction_id = ids[80], label = Truth(80, 100) });
        Assert.Equal(1, (int)(await single.Content.ReadFromJsonAsync<JsonNode>())!["accepted"]!);
        await _api.FeedbackAsync(deployment, ids.Skip(81).Select((id, i) => new { prediction_id = id, label = Truth(81 + i, 100) }).ToList());
        var bad = await server.Http.PostAsJsonAsync($"/api/keel/v1/deployments/{deployment}/feedback", new[] { 1, 2 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await _api.EvaluateAsync(monitor);

        performance = (await _api.ReportAsync(monitor, 0))["report"]!["performance"]!;
        Assert.Equal(1.0, (double)performance["accuracy"]!, 9);
        Assert.Equal((1.0, 1.0, 1.0), ((double)performance["precision"]!, (double)performance["recall"]!, (double)performance["f1"]!));
        Assert.Equal(1.0, (double)performance["roc_auc"]!, 9);
        Assert.Equal(50, (long)performance["confusion_matrix"]![1]![1]!);
        Assert.Contains($"keel_monitor_performance{{deployment=\"{deployment}\",monitor=\"{monitor}\",metric=\"accuracy\"}} 1",
            await server.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccuracyBelowTheSourceRunsMetric_OpensADecayAlert_AndAnOldVersionAStalenessAlert()
    {
        var reference = await _api.AddReferenceAsync();
        var model = MonitoringApi.Unique("model");
        var run = (string)(await _mlflow.PostAsync("/runs/create", new { experiment_id = "0", start_time = 1 })).Ok().Json["run"]!["info"]!["run_id"]!;
        (await _mlflow.PostAsync("/runs/log-metric", new { run_id = run, key = "val_accuracy", value = 0.95, timestamp = 1, step = 0 })).Ok();
        (await _mlflow.PostAsync("/registered-models/create", new { name = model })).Ok();
        (await _mlflow.PostAsync("/model-versions/create", new { name = model, source = $"runs:/{run}/model", run_id = run })).Ok();
        var deployment = MonitoringApi.Unique("dep");
        var monitor = MonitoringApi.Unique("mon");
        await _api.CreateMonitorAsync(new
        {
            name = monitor, deployment, reference, every = 100,
            settings = new { metric = "val_accuracy", decay_threshold = 0.1, max_model_age_ms = 1 },
        });
        var ids = await _api.SendPredictionsAsync(deployment, 100, 0, model: model);
        await _api.FeedbackAsync(deployment, ids.Select((id, i) => new { prediction_id = id, label = i < 80 ? Truth(i, 100) : 1 - Truth(i, 100) }).ToList());

        await _api.EvaluateAsync(monitor);

        var decay = (await _api.ReportAsync(monitor, 0))["report"]!["decay"]!;
        Assert.Equal(("val_accuracy", "accuracy"), ((string)decay["run_metric"]!, (string)decay["window_metric"]!));
        Assert.Equal((0.95, 0.8), ((double)decay["baseline"]!, (double)decay["window"]!));
        Assert.True((bool)decay["decayed"]!);
        var rules = (await _api.AlertsAsync(monitor, "OPEN")).Select(a => (string)a!["rule"]!).Order().ToList();
        Assert.Equal(["decay", "staleness"], rules);
    }
}

public sealed class FeedbackTestsOnSqlite(MonitoringServerFixture server) : FeedbackTests(server), IClassFixture<MonitoringServerFixture>;

public sealed class FeedbackTestsOnPostgres(PostgresMonitoringServerFixture server) : FeedbackTests(server), IClassFixture<PostgresMonitoringServerFixture>;
