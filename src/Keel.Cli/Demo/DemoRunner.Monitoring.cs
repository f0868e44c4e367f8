using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Demo;

internal sealed partial class DemoRunner
{
    /// <summary>The source run's metric the monitor compares each window's ROC AUC with.</summary>
    public const string DecayMetric = "val_auc";

    // The deployment's non-shadow predictions once the log has caught up with every request this run sent.
    private long _logged;

    /// <summary>
    /// Watches the deployment: a monitor against the training rows, the shifted batch as its own window, the drift it
    /// flags, the true labels and the decay they show, and the alerts delivered to a webhook receiver started here.
    /// </summary>
    public async Task<string> MonitorAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = client.BaseAddress };
        var batch = DemoDatasets.Shift(_heldOut);

        // Count windows are the log's predictions k·N to (k+1)·N − 1, so regular (short-haul) traffic tops the log up to
        // a multiple of the batch size: the shifted batch then fills exactly one window, and steps 4–6 stay in earlier ones.
        await UntilLoggedAsync(http, ct);
        var regular = _heldOut.Where(f => f.Distance < DemoDatasets.LongHaulMiles).ToList();
        var padding = (int)((batch.Count - (_logged % batch.Count)) % batch.Count);
        for (var i = 0; i < padding; i++)
        {
            using var _ = await InvokeAsync(http, regular[i % regular.Count], null, ct);
        }

        await UntilLoggedAsync(http, ct);
        var window = _logged / batch.Count;
        var name = $"{DeploymentName}-at-{_logged.ToString(CultureInfo.InvariantCulture)}";
        var reference = await _datasets.AddModelInputsAsync(_trainingRows, ct);
        await client.Monitoring.CreateAsync(name, DeploymentName, reference.Uri, every: batch.Count, settings: new JsonObject
        {
            ["metric"] = DecayMetric,
            ["prediction_column"] = "PredictedLabel",
            ["score_column"] = "Probability",
        }, cancellationToken: ct);
        // Reporting the earlier windows now keeps their verdicts out of the alerts the receiver is about to get.
        await client.Monitoring.EvaluateAsync(name, ct);
        console.MarkupLine($"[bold]8. Monitor[/]  '{name}' watches {DeploymentName} every {batch.Count:N0} predictions against " +
            $"{Markup.Escape(reference.Uri)} (the {_trainingRows.Count:N0} training rows as the model saw them); " +
            $"{padding} more regular requests close window {window - 1}, so window {window} is the shifted batch alone.");

        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await using var receiver = await AlertReceiver.StartAsync(secret, ct);
        var webhookId = await CreateWebhookAsync(http, name, receiver.Url, secret, ct);
        try
        {
            var ids = new List<(string PredictionId, FlightRecord Flight)>();
            foreach (var flight in batch)
            {
                using var response = await InvokeAsync(http, flight, null, ct);
                ids.Add((response.Headers.GetValues("X-Keel-Prediction-Id").Single(), flight));
            }

            await UntilLoggedAsync(http, ct);
            var drift = await ReportAsync(name, window, 0, ct);
            var before = await ReportAsync(name, window - 1, 0, ct);
            console.MarkupLine($"   {batch.Count:N0} long-haul flights (data:/{DemoDatasets.DatasetName}@2) scored; window {window}: " +
                $"{(drift.DatasetDrift ? "[red]dataset drift[/]" : "no dataset drift")}, drift share {drift.DriftShare:0.##}");
            console.Write(DriftTable(before, drift));

            var feedback = await client.Monitoring.SendFeedbackAsync(DeploymentName,
                ids.Select(p => new PredictionLabel(p.PredictionId, JsonValue.Create(p.Flight.IsDelayed))).ToList(), ct);
            var labelled = await ReportAsync(name, window, feedback.Accepted, ct);
            console.MarkupLine($"   Labels arrive: {feedback.Accepted:N0} accepted, {feedback.Rejected.Count} rejected. {Decay(labelled.Report!.Value)}");

            var alerts = await client.Monitoring.ListAlertsAsync(name, "OPEN", ct);
            var opened = alerts.Where(a => a.OpenedWindow == window).ToList();
            var received = await receiver.WaitForAsync(opened.Count, TimeSpan.FromSeconds(30), ct);
            var earlierOpen = alerts.Where(a => a.OpenedWindow < window).ToList();
            console.MarkupLine($"   Alerts opened by window {window}: {Markup.Escape(string.Join(", ", opened.Select(Describe)))}" +
                (earlierOpen.Count == 0 ? "." : $"; still open from regular traffic (one alert per rule and feature): {Markup.Escape(string.Join(", ", earlierOpen.Select(Describe)))}."));
            console.MarkupLine(received.Count == opened.Count
                ? $"   Webhook receiver {receiver.Url} got {received.Count} alert.opened deliveries; " +
                  $"signatures {(received.All(r => r.SignatureVerified) ? "[green]verified[/]" : "[red]did NOT verify[/]")} (HMAC-SHA256, X-MLflow-Signature)."
                : $"   [yellow]Webhook receiver {receiver.Url} got {received.Count} of {opened.Count} deliveries in 30 s[/] " +
                  "(a server on another host cannot reach this loopback receiver).");
            console.MarkupLine($"   Look: ./keel monitor reports {name} --window {window}    ./keel monitor alerts --monitor {name}    GET /api/keel/v1/alerts?monitor={name}");
        }
        finally
        {
            // The receiver stops with the demo; a disabled webhook keeps its delivery log without retrying into nothing.
            using var _ = await http.PatchAsJsonAsync($"api/2.0/mlflow/webhooks/{webhookId}", new { status = "DISABLED" }, CancellationToken.None);
        }

        return name;
    }

    /// <summary>
    /// Evaluates and reads a window's report once it is computed with at least <paramref name="labelled"/> labels: the
    /// server's background round (or another replica) may hold the window's claim for a moment.
    /// </summary>
    private async Task<MonitorReport> ReportAsync(string name, long window, long labelled, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await client.Monitoring.EvaluateAsync(name, ct);
            try
            {
                var report = await client.Monitoring.GetReportAsync(name, window, ct);
                if (!report.Dirty && report.Labelled >= labelled)
                {
                    return report;
                }
            }
            catch (KeelApiException e) when (e.ErrorCode == KeelErrorCodes.ResourceDoesNotExist)
            {
                // Claimed and being computed elsewhere.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Monitor {name} has no current report of window {window} after 60 s.");
            }

            await Task.Delay(200, ct);
        }
    }

    private static async Task<string> CreateWebhookAsync(HttpClient http, string name, Uri url, string secret, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("api/2.0/mlflow/webhooks", new
        {
            name,
            url = url.ToString(),
            events = new[] { new { entity = "alert", action = "opened" } },
            secret,
            description = "keel demo: the alert receiver the demo started",
        }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new KeelApiException("INTERNAL_ERROR", $"Creating the alert webhook answered {(int)response.StatusCode}: {body}", response.StatusCode);
        }

        return (string)JsonNode.Parse(body)!["webhook"]!["webhook_id"]!;
    }

    /// <summary>Waits until the deployment's prediction log holds every prediction sent so far: hosts write it in batches.</summary>
    private async Task UntilLoggedAsync(HttpClient http, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        long logged;
        while ((logged = await CountLoggedAsync(http, ct)) < _logged)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The prediction log of {DeploymentName} holds {logged} of {_logged} predictions after 60 s.");
            }

            await Task.Delay(200, ct);
        }

        // Another client's traffic counts too: windows are the deployment's, not this run's.
        _logged = logged;
    }

    private static async Task<long> CountLoggedAsync(HttpClient http, CancellationToken ct)
    {
        var count = 0L;
        long? after = null;
        do
        {
            var page = JsonNode.Parse(await http.GetStringAsync($"api/keel/v1/predictions?model={ModelName}&max_results=10000" +
                (after is null ? "" : $"&after={after.Value.ToString(CultureInfo.InvariantCulture)}"), ct))!;
            count += page["predictions"]?.AsArray().Count(p => (string?)p!["deployment"] == DeploymentName && (bool?)p["shadow"] != true) ?? 0;
            after = (long?)page["next_after"];
        }
        while (after is not null);

        return count;
    }

    // The window before the batch is shown next to it: regular traffic's statistics are the yardstick for the batch's.
    private static Table DriftTable(MonitorReport before, MonitorReport batch)
    {
        var table = new Table().AddColumns("Feature", "Test", $"Window {before.Window} (regular)", $"Window {batch.Window} (shifted)", "Threshold");
        var earlier = Columns(before).ToDictionary(c => c.GetProperty("column").GetString()!, StringComparer.Ordinal);
        foreach (var c in Columns(batch))
        {
            var column = c.GetProperty("column").GetString()!;
            table.AddRow(column, c.TryGetProperty("test", out var t) ? t.GetString() ?? "" : "",
                earlier.TryGetValue(column, out var e) ? Statistic(e) : "", Statistic(c), Number(c, "threshold"));
        }

        return table;

        static IEnumerable<JsonElement> Columns(MonitorReport r) =>
            r.Report is { } report && report.TryGetProperty("drift", out var drift) ? drift.GetProperty("columns").EnumerateArray() : [];

        static string Statistic(JsonElement c) =>
            Number(c, "statistic") + (c.TryGetProperty("drifted", out var d) && d.ValueKind == JsonValueKind.True ? " [red]drift[/]" : "");
    }

    private static string Decay(JsonElement report)
    {
        if (!report.TryGetProperty("decay", out var decay))
        {
            return "No decay check (the source run has no " + DecayMetric + ").";
        }

        var drop = decay.GetProperty("baseline").GetDouble() - decay.GetProperty("window").GetDouble();
        return $"{decay.GetProperty("window_metric").GetString()} {Number(decay, "window")} on the batch vs " +
            $"{decay.GetProperty("run_metric").GetString()} {Number(decay, "baseline")} on the source run: a drop of " +
            $"{drop.ToString("0.####", CultureInfo.InvariantCulture)} (decay alert above {Number(decay, "threshold")}): " +
            $"{(decay.GetProperty("decayed").GetBoolean() ? "[red]decayed[/]" : "within the threshold")}.";
    }

    private static string Describe(MonitorAlert a) => a.Subject.Length == 0 ? a.Rule : $"{a.Rule} {a.Subject}";

    private static string Number(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("0.####", CultureInfo.InvariantCulture) : "";
}
