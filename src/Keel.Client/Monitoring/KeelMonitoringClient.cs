using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Keel.Client.Protocol;

namespace Keel.Client;

/// <summary>
/// Monitoring on a Keel server: monitors that watch a deployment's predictions over windows against a reference,
/// their reports, ground-truth feedback and alerts. Get it from <see cref="KeelClient.Monitoring"/>.
/// </summary>
public sealed class KeelMonitoringClient
{
    private readonly HttpClient _http;
    private readonly Uri _root;

    internal KeelMonitoringClient(HttpClient http, Uri root)
    {
        _http = http;
        _root = root;
    }

    /// <summary>Creates a monitor; give exactly one of <paramref name="window"/> and <paramref name="every"/>.</summary>
    /// <param name="name">Letters, digits, <c>-</c>, <c>_</c> and <c>.</c>.</param>
    /// <param name="deployment">The deployment to watch.</param>
    /// <param name="reference"><c>data:/NAME@VERSION</c> or <c>training</c>.</param>
    /// <param name="window">A time window such as <c>1h</c>, <c>15m</c>, <c>1d</c>.</param>
    /// <param name="every">A count window: this many predictions.</param>
    /// <param name="settings">Overrides in the server's snake_case names (column_types, ks_p_value, metric, decay_threshold, ...).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The monitor.</returns>
    /// <exception cref="KeelApiException"><c>INVALID_PARAMETER_VALUE</c> for a bad reference, window or setting; <c>RESOURCE_ALREADY_EXISTS</c> for a taken name.</exception>
    public async Task<ModelMonitor> CreateAsync(
        string name, string deployment, string reference, string? window = null, long? every = null, JsonObject? settings = null,
        CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsync(new Uri(_root, "monitors"), JsonContent.Create(
            new CreateMonitorRequest(name, deployment, reference, window, every, settings), KeelJsonContext.Default.CreateMonitorRequest),
            cancellationToken).ConfigureAwait(false);
        return (await KeelClient.ReadAnswerAsync(response, KeelJsonContext.Default.MonitorResponse, cancellationToken).ConfigureAwait(false)).Monitor;
    }

    /// <summary>Lists the monitors by name.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The monitors.</returns>
    public async Task<IReadOnlyList<ModelMonitor>> ListAsync(CancellationToken cancellationToken = default) =>
        (await GetAsync("monitors", KeelJsonContext.Default.MonitorsResponse, cancellationToken).ConfigureAwait(false)).Monitors ?? [];

    /// <summary>Gets a monitor.</summary>
    /// <param name="name">The monitor.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The monitor.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such monitor.</exception>
    public async Task<ModelMonitor> GetAsync(string name, CancellationToken cancellationToken = default) =>
        (await GetAsync("monitors/" + Escape(name), KeelJsonContext.Default.MonitorResponse, cancellationToken).ConfigureAwait(false)).Monitor;

    /// <summary>Evaluates the monitor now: its closed windows not yet reported, and windows with late labels.</summary>
    /// <param name="name">The monitor.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The windows computed and the newest report.</returns>
    public async Task<MonitorEvaluation> EvaluateAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsync(new Uri(_root, $"monitors/{Escape(name)}/evaluate"), null, cancellationToken).ConfigureAwait(false);
        var answer = await KeelClient.ReadAnswerAsync(response, KeelJsonContext.Default.MonitorEvaluationResponse, cancellationToken).ConfigureAwait(false);
        return new MonitorEvaluation(answer.ComputedWindows ?? [], answer.Latest);
    }

    /// <summary>Lists reports newest first, without their full JSON.</summary>
    /// <param name="name">The monitor.</param>
    /// <param name="maxResults">At most this many (1 to 1000).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The reports.</returns>
    public async Task<IReadOnlyList<MonitorReport>> ListReportsAsync(string name, int maxResults = 100, CancellationToken cancellationToken = default) =>
        (await GetAsync($"monitors/{Escape(name)}/reports?max_results={maxResults.ToString(CultureInfo.InvariantCulture)}",
            KeelJsonContext.Default.MonitorReportsResponse, cancellationToken).ConfigureAwait(false)).Reports ?? [];

    /// <summary>Gets one window's report in full, or the newest when <paramref name="window"/> is null.</summary>
    /// <param name="name">The monitor.</param>
    /// <param name="window">The window index.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The report.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such report.</exception>
    public async Task<MonitorReport> GetReportAsync(string name, long? window = null, CancellationToken cancellationToken = default) =>
        (await GetAsync($"monitors/{Escape(name)}/reports/" + (window?.ToString(CultureInfo.InvariantCulture) ?? "latest"),
            KeelJsonContext.Default.MonitorReportResponse, cancellationToken).ConfigureAwait(false)).Report;

    /// <summary>Lists alerts newest first.</summary>
    /// <param name="monitor">Only this monitor's.</param>
    /// <param name="status">Only <c>OPEN</c> or <c>RESOLVED</c> ones.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The alerts.</returns>
    public async Task<IReadOnlyList<MonitorAlert>> ListAlertsAsync(string? monitor = null, string? status = null, CancellationToken cancellationToken = default)
    {
        var query = string.Join("&", new[] { ("monitor", monitor), ("status", status) }
            .Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));
        return (await GetAsync("alerts" + (query.Length == 0 ? "" : "?" + query), KeelJsonContext.Default.MonitorAlertsResponse, cancellationToken)
            .ConfigureAwait(false)).Alerts ?? [];
    }

    /// <summary>Sends ground truth for a deployment's predictions; a later label for a prediction replaces the earlier.</summary>
    /// <param name="deployment">The deployment that made the predictions.</param>
    /// <param name="labels">Up to 10,000 labels.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>How many were stored, and which were refused and why.</returns>
    public async Task<FeedbackResult> SendFeedbackAsync(string deployment, IReadOnlyList<PredictionLabel> labels, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsync(new Uri(_root, $"deployments/{Escape(deployment)}/feedback"),
            JsonContent.Create(new FeedbackRequest(labels), KeelJsonContext.Default.FeedbackRequest), cancellationToken).ConfigureAwait(false);
        var answer = await KeelClient.ReadAnswerAsync(response, KeelJsonContext.Default.FeedbackResponse, cancellationToken).ConfigureAwait(false);
        return new FeedbackResult(answer.Accepted, answer.Rejected ?? []);
    }

    private static string Escape(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Uri.EscapeDataString(name);
    }

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(_root, path), cancellationToken).ConfigureAwait(false);
        return await KeelClient.ReadAnswerAsync(response, type, cancellationToken).ConfigureAwait(false);
    }
}
