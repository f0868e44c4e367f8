using System.Globalization;
using Keel.Core.Deployments;
using Keel.Core.Predictions;
using Keel.Core.Registry;

namespace Keel.Core.Trace;

/// <summary>Follows a prediction back through the stores that already hold each link; nothing is copied at serving time.</summary>
internal sealed class PredictionTracer(PredictionStore predictions, DeploymentStore deployments, ModelLineageReader lineage)
{
    public async Task<PredictionTrace> TraceAsync(string predictionId, CancellationToken ct = default)
    {
        var prediction = await predictions.GetAsync(predictionId, ct);
        var revision = await RevisionAsync(prediction, ct);
        ModelCard? card = null;
        try
        {
            card = await lineage.GetCardAsync(prediction.ModelName, prediction.ModelVersion.ToString(CultureInfo.InvariantCulture), ct);
        }
        catch (KeelException e) when (e.ErrorCode == ErrorCodes.ResourceDoesNotExist)
        {
        }

        return new PredictionTrace(prediction, revision, card, card is null ? [] : await lineage.ReadDataVersionsAsync(card.Run, ct));
    }

    private async Task<DeploymentRevision?> RevisionAsync(Prediction prediction, CancellationToken ct)
    {
        if (prediction.Deployment is not { } name || prediction.Revision is not { } number)
        {
            return null;
        }

        try
        {
            return (await deployments.RevisionsAsync(name, ct)).FirstOrDefault(r => r.Revision == number);
        }
        catch (KeelException e) when (e.ErrorCode == ErrorCodes.ResourceDoesNotExist)
        {
            return null;
        }
    }
}
