using System.Globalization;
using System.Net.Http.Json;
using Keel.Client.Protocol;

namespace Keel.Client;

public sealed partial class KeelClient
{
    /// <summary>
    /// Has the server check a gate against a run and record the outcome on a model version (tags
    /// <c>keel.gate.NAME</c>, <c>.run_id</c>, <c>.digest</c>, in one transaction). Only the server writes these tags:
    /// a protected alias trusts them, so clients cannot set them by hand. A Keel endpoint (<c>/api/keel/v1/gates/check</c>).
    /// </summary>
    /// <param name="runId">The evaluation run whose metrics and tags the gate reads.</param>
    /// <param name="gate">The gate file's text.</param>
    /// <param name="name">The registered model.</param>
    /// <param name="version">The version to record the outcome on.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the outcome is recorded.</returns>
    /// <exception cref="KeelApiException"><c>INVALID_PARAMETER_VALUE</c> for a gate that does not parse; <c>RESOURCE_DOES_NOT_EXIST</c> for an unknown run, model or version.</exception>
    public async Task RecordGateCheckAsync(string runId, string gate, string name, long version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(gate);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var body = new GateCheckRequest(runId, gate, string.Create(CultureInfo.InvariantCulture, $"models:/{name}/{version}"));
        using var response = await _http.PostAsync(KeelApiUri("gates/check"), JsonContent.Create(body, KeelJsonContext.Default.GateCheckRequest), cancellationToken)
            .ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
    }
}
