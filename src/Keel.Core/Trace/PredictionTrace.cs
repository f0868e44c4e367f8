using Keel.Core.Deployments;
using Keel.Core.Predictions;
using Keel.Core.Registry;

namespace Keel.Core.Trace;

/// <summary>
/// Everything behind one logged answer: the prediction, the deployment revision that served it (null for a
/// prediction logged from outside a deployment, or one whose deployment was deleted), and the model version with
/// its history (who moved which alias or stage to it, when), source run and data versions. A deleted version leaves
/// <see cref="Card"/> null: the log still names it.
/// </summary>
internal sealed record PredictionTrace(
    Prediction Prediction, DeploymentRevision? Revision, ModelCard? Card, IReadOnlyList<LineageDataVersion> DataVersions);
