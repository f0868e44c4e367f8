using Keel.Client.Protocol;

namespace Keel.Client;

public sealed partial class KeelClient
{
    /// <summary>
    /// Follows a logged prediction back to what produced it: the deployment revision, the model version and its
    /// promotions, the source run and its data. A Keel endpoint (<c>/api/keel/v1/trace/...</c>).
    /// </summary>
    /// <param name="predictionId">The prediction's id, as the serving host returned it in <c>X-Keel-Prediction-Id</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The trace.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if the prediction log has no such prediction.</exception>
    public Task<PredictionTrace> GetPredictionTraceAsync(string predictionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(predictionId);
        return GetKeelJsonAsync($"trace/predictions/{Uri.EscapeDataString(predictionId)}", KeelJsonContext.Default.PredictionTrace, cancellationToken);
    }
}
