using System.Text.Json;

namespace Keel.Core.Predictions;

/// <summary>One logged prediction (one input row), as the serving host sends it and the API returns it.</summary>
internal sealed record Prediction(
    string PredictionId,
    string ModelName,
    long ModelVersion,
    string? Deployment,
    long? Revision,
    string? RequestKey,
    JsonElement Inputs,
    JsonElement Outputs,
    long LatencyMicros,
    long Time,
    bool Shadow);

/// <summary>A page of the log in write order; <see cref="Next"/> is the <c>after</c> that continues it.</summary>
internal sealed record PredictionPage(IReadOnlyList<Prediction> Items, long? Next);
