using System.Net.Http.Json;

namespace Keel.Server.Tests;

/// <summary>Monitors over real prediction rows: window reports, verdicts, empty windows and bad input.</summary>
public abstract class MonitoringTests(KeelServerFixture server)
{
    private readonly MonitoringApi _api = new(server.Http);

    [Fact]
    public async Task ShiftedFeature_InACountWindow_DriftsThatFeatureOnly()
    {
        var reference = await _api.AddReferenceAsync();
        var deployment = MonitoringApi.Unique("dep");
        var monitor = MonitoringApi.Unique("mon");
        await _api.CreateMonitorAsync(new { name = monitor, deployment, reference, every = 200 });
        await _api.SendPredictionsAsync(deployment, 200, shift: 0);
        await _api.SendPredictionsAsync(deployment, 200, shift: 0.5);
        await _api.SendPredictionsAsync(deployment, 50, shift: 0);

        var evaluated = await _api.EvaluateAsync(monitor);

        Assert.Equal([0L, 1L], evaluated["computed_windows"]!.AsArray().Select(w => (long)w!));
        var same = await _api.ReportAsync(monitor, 0);
        var shifted = await _api.ReportAsync(monitor, 1);
        Assert.Equal(200, (long)same["rows"]!);
        Assert.Equal(new Dictionary<string, bool?> { ["x"] = false, ["y"] = false, ["color"] = false }, MonitoringApi.Verdicts(same));
        Assert.Equal(new Dictionary<string, bool?> { ["x"] = true, ["y"] = false, ["color"] = false }, MonitoringApi.Verdicts(shifted));
        var x = shifted["report"]!["drift"]!["columns"]!.AsArray().Single(c => (string)c!["column"]! == "x")!;
        Assert.Equal(("ks", 300L, 200L), ((string)x["test"]!, (long)x["reference_count"]!, (long)x["current_count"]!));
        Assert.True((double)x["p_value"]! <= 0.05);
        Assert.False((bool)shifted["dataset_drift"]!);
        Assert.Equal(1.0 / 3, (double)shifted["drift_share"]!, 9);
        Assert.Equal(reference, (string)shifted["report"]!["reference"]!);
        // The outputs follow x, so the predictions drift too, judged against the first window.
        Assert.Equal("window 0", (string)shifted["report"]!["prediction_drift"]!["against"]!);
        Assert.True((bool)shifted["report"]!["prediction_drift"]!["report"]!["columns"]!.AsArray().Single(c => (string)c!["column"]! == "score")!["drifted"]!);
        // The third window holds 50 of 200 rows: not closed, so not evaluated.
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/keel/v1/monitors/{monitor}/reports/2")).StatusCode);

        var open = await _api.AlertsAsync(monitor, "OPEN");
        // Half the shifted x values lie above the reference's maximum: a data-quality finding as well as drift.
        Assert.Equal([("data_quality", ""), ("feature_drift", "x")], open.Select(a => ((string)a!["rule"]!, (string)a["subject"]!)).Order());
        Assert.Contains("worst column x", (string)open.Single(a => (string)a!["rule"]! == "data_quality")!["message"]!, StringComparison.Ordinal);

        var metrics = await server.Http.GetStringAsync("/metrics");
        Assert.Contains($"keel_monitor_feature_drifted{{deployment=\"{deployment}\",monitor=\"{monitor}\",feature=\"x\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"keel_monitor_feature_drifted{{deployment=\"{deployment}\",monitor=\"{monitor}\",feature=\"y\"}} 0", metrics, StringComparison.Ordinal);
        Assert.Contains($"keel_monitor_window_rows{{deployment=\"{deployment}\",monitor=\"{monitor}\"}} 200", metrics, StringComparison.Ordinal);
        Assert.Contains($"keel_monitor_open_alerts{{deployment=\"{deployment}\",monitor=\"{monitor}\"}} 2", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainingReference_IsTheDataInputTheServedVersionsSourceRunLoggedForTraining()
    {
        var reference = await _api.AddReferenceAsync();
        var mlflow = new MlflowApi(server.Http);
        var model = MonitoringApi.Unique("model");
        var run = (string)(await mlflow.PostAsync("/runs/create", new { experiment_id = "0", start_time = 1 })).Ok().Json["run"]!["info"]!["run_id"]!;
        object Input(string source, string context) => new
        {
            tags = new[] { new { key = "mlflow.data.context", value = context } },
            dataset = new { name = source, digest = context, source_type = "keel", source },
        };
        (await mlflow.PostAsync("/runs/log-inputs", new { run_id = run, datasets = new[] { Input("data:/holdout@1", "evaluation"), Input(reference, "training") } })).Ok();
        (await mlflow.PostAsync("/registered-models/create", new { name = model })).Ok();
        (await mlflow.PostAsync("/model-versions/create", new { name = model, source = $"runs:/{run}/model", run_id = run })).Ok();
        var deployment = MonitoringApi.Unique("dep");
        var monitor = MonitoringApi.Unique("mon");
        await _api.CreateMonitorAsync(new { name = monitor, deployment, reference = "training", every = 100 });
        await _api.SendPredictionsAsync(deployment, 100, shift: 0.5, model: model);

        await _api.EvaluateAsync(monitor);

        var report = await _api.ReportAsync(monitor, 0);
        Assert.Equal(reference, (string)report["report"]!["reference"]!);
        Assert.Equal((model, 1L), ((string)report["report"]!["model_name"]!, (long)report["report"]!["model_version"]!));
        Assert.Equal(new Dictionary<string, bool?> { ["x"] = true, ["y"] = false, ["color"] = false }, MonitoringApi.Verdicts(report));
    }

    [Fact]
    public async Task AWindowThatCannotBeComputed_IsAnError_AndIsTriedAgainNextTime()
    {
        var deployment = MonitoringApi.Unique("dep");
        var monitor = MonitoringApi.Unique("mon");
        // "training", but the model is registered nowhere: no run to take the training data from.
        await _api.CreateMonitorAsync(new { name = monitor, deployment, reference = "training", every = 10 });
        await _api.SendPredictionsAsync(deployment, 10, shift: 0);

        var first = await server.Http.PostAsync($"/api/keel/v1/monitors/{monitor}/evaluate", null);
        var second = await server.Http.PostAsync($"/api/keel/v1/monitors/{monitor}/evaluate", null);

        Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        // The failed claim was given back: the second call computes the window again (and fails the same way).
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Contains("ext-model", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/keel/v1/monitors/{monitor}/reports/0")).StatusCode);
    }

    [Fact]
    public async Task ConcurrentEvaluations_ComputeEachWindowOnce()
    {
        var reference = await _api.AddReferenceAsync();
        var deployment = MonitoringApi.Unique("dep");
        var monitor = MonitoringApi.Unique("mon");
        await _api.CreateMonitorAsync(new { name = monitor, deployment, reference, every = 20 });
        await _api.SendPredictionsAsync(deployment, 200, shift: 0);

        var rounds = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _api.EvaluateAsync(monitor)));

        var computed = rounds.SelectMany(r => r["computed_windows"]!.AsArray().Select(w => (long)w!)).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), computed.Order());
    }

    [Fact]
    public async Task TimeWindows_AnEmptyWindowGetsAReportSayingSo_AndLatestIsTheNewest()
    {
        var reference = await _api.AddReferenceAsync();
        var deployment = MonitoringApi.Unique("dep");
        var monitor = MonitoringApi.Unique("mon");
        var hour = 3_600_000L;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var first = (now / hour) - 4;
        await _api.SendPredictionsAsync(deployment, 60, 0, time: (first * hour) + 10);
        await _api.SendPredictionsAsync(deployment, 60, 0, time: ((first + 2) * hour) + 10);
        await _api.CreateMonitorAsync(new { name = monitor, deployment, reference, window = "1h", settings = new { min_rows = 10 } });

        await _api.EvaluateAsync(monitor);

        var reports = JsonNode.Parse(await server.Http.GetStringAsync($"/api/keel/v1/monitors/{monitor}/reports"))!["reports"]!.AsArray();
        Assert.Equal([first + 3, first + 2, first + 1, first], reports.Select(r => (long)r!["window"]!));
        Assert.Equal([0L, 60L, 0L, 60L], reports.Select(r => (long)r!["rows"]!));
        var empty = await _api.ReportAsync(monitor, first + 1);
        Assert.True((bool)empty["report"]!["empty"]!);
        Assert.Contains("No predictions", (string)empty["report"]!["message"]!, StringComparison.Ordinal);
        Assert.Equal(((first + 1) * hour, (first + 2) * hour), ((long)empty["range_start"]!, (long)empty["range_end"]!));
        var latest = JsonNode.Parse(await server.Http.GetStringAsync($"/api/keel/v1/monitors/{monitor}/reports/latest"))!["report"]!;
        Assert.Equal(first + 3, (long)latest["window"]!);
        // Too few rows in window first+1 opened the row-count alert, window first+2 resolved it, first+3 opened a new one.
        var alerts = await _api.AlertsAsync(monitor);
        Assert.Equal([("row_count", "OPEN", first + 3), ("row_count", "RESOLVED", first + 1)],
            alerts.Select(a => ((string)a!["rule"]!, (string)a["status"]!, (long)a["opened_window"]!)));
    }

    [Fact]
    public async Task BadMonitors_Are400_AndADuplicateNameIsRefused()
    {
        var name = MonitoringApi.Unique("mon");
        object[] bad =
        [
            new { name, deployment = "d", reference = "s3://bucket/file.csv", every = 10 },
            new { name, deployment = "d", reference = "training", window = "1h", every = 10 },
            new { name, deployment = "d", reference = "training", window = "soon" },
            new { name, deployment = "d", reference = "training", every = 10, settings = new { ks_p_value = 2.0 } },
            new { name = "bad name", deployment = "d", reference = "training", every = 10 },
        ];
        foreach (var body in bad)
        {
            var response = await server.Http.PostAsJsonAsync("/api/keel/v1/monitors", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("INVALID_PARAMETER_VALUE", (string)(await response.Content.ReadFromJsonAsync<JsonNode>())!["errorCode"]!);
        }

        var missingData = await server.Http.PostAsJsonAsync("/api/keel/v1/monitors",
            new { name, deployment = "d", reference = "data:/no-such-dataset@1", every = 10 });
        Assert.Equal(HttpStatusCode.NotFound, missingData.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/keel/v1/monitors/{name}")).StatusCode);
        await _api.CreateMonitorAsync(new { name, deployment = "d", reference = "training", every = 10 });
        var again = await server.Http.PostAsJsonAsync("/api/keel/v1/monitors", new { name, deployment = "other", reference = "training", every = 10 });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        var stored = JsonNode.Parse(await server.Http.GetStringAsync($"/api/keel/v1/monitors/{name}"))!["monitor"]!;
        Assert.Equal("d", (string)stored["deployment"]!);
    }
}

public sealed class MonitoringTestsOnSqlite(MonitoringServerFixture server) : MonitoringTests(server), IClassFixture<MonitoringServerFixture>;

public sealed class MonitoringTestsOnPostgres(PostgresMonitoringServerFixture server) : MonitoringTests(server), IClassFixture<PostgresMonitoringServerFixture>;
