using System.Text.Json;
using Keel.Core;
using Keel.Core.Predictions;
using Keel.Server.Endpoints;
using Keel.Serving.PredictionLog;

namespace Keel.Server.Serving;

/// <summary>The prediction log of in-process deployments: the same batches keel serve posts, appended to the store directly.</summary>
internal sealed class StorePredictionLogWriter(PredictionStore store) : IPredictionLogWriter
{
    public async Task WriteAsync(ReadOnlyMemory<byte> batch, CancellationToken ct)
    {
        using var document = JsonDocument.Parse(batch);
        try
        {
            await store.AppendAsync(PredictionEndpoints.ToBatch(document.RootElement), ct);
        }
        catch (KeelException e) when (e.ErrorCode == ErrorCodes.InvalidParameterValue)
        {
            throw new PredictionLogRejectedException("The store refused a prediction-log batch: " + e.Message);
        }
    }
}
