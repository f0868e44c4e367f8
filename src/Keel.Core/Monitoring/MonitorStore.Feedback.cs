using System.Text.Json;
using Keel.Core.Storage;

namespace Keel.Core.Monitoring;

/// <summary>A label for one prediction, as the feedback endpoint receives it.</summary>
internal sealed record FeedbackLabel(string? PredictionId, JsonElement Label);

internal sealed record RejectedLabel(string? PredictionId, string Reason);

internal sealed record FeedbackResult(int Accepted, IReadOnlyList<RejectedLabel> Rejected);

internal sealed partial class MonitorStore
{
    public const int MaxLabels = 10_000;

    /// <summary>
    /// Stores the labels of predictions this deployment made (a later label for a prediction replaces the earlier) and
    /// marks the windows holding them dirty, so their performance is computed again. Labels for unknown predictions or
    /// another deployment's are answered back as rejected, with the reason, and change nothing.
    /// </summary>
    public Task<FeedbackResult> AddLabelsAsync(string deployment, IReadOnlyList<FeedbackLabel> labels, CancellationToken ct = default)
    {
        if (labels.Count > MaxLabels)
        {
            throw KeelException.InvalidParameter($"A batch holds at most {MaxLabels} labels, but got {labels.Count}.");
        }

        return writes.ExecuteAsync(ctx =>
        {
            var now = Now();
            var rejected = new List<RejectedLabel>();
            var accepted = 0;
            foreach (var label in labels)
            {
                if (string.IsNullOrEmpty(label.PredictionId))
                {
                    rejected.Add(new RejectedLabel(label.PredictionId, "prediction_id is required"));
                    continue;
                }

                if (label.Label.ValueKind is not (JsonValueKind.Number or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False))
                {
                    rejected.Add(new RejectedLabel(label.PredictionId, "label must be a number, a string or a boolean"));
                    continue;
                }

                long seq, time;
                string? owner;
                using (var reader = ctx.Query("SELECT seq, time, deployment FROM predictions WHERE prediction_id = @p0", label.PredictionId))
                {
                    if (!reader.Read())
                    {
                        rejected.Add(new RejectedLabel(label.PredictionId, "unknown prediction id"));
                        continue;
                    }

                    (seq, time, owner) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetNullableString(2));
                }

                if (owner != deployment)
                {
                    rejected.Add(new RejectedLabel(label.PredictionId,
                        owner is null ? "the prediction was not made by a deployment" : $"the prediction belongs to deployment '{owner}'"));
                    continue;
                }

                ctx.Execute(
                    "INSERT INTO prediction_labels(prediction_id, deployment, label, time) VALUES (@p0, @p1, @p2, @p3) " +
                    "ON CONFLICT (prediction_id) DO UPDATE SET label = excluded.label, time = excluded.time",
                    label.PredictionId, deployment, label.Label.GetRawText(), now);
                ctx.Execute(
                    "UPDATE monitor_reports SET dirty = @p0 WHERE status = @p1 AND (" +
                    "(monitor IN (SELECT name FROM monitors WHERE deployment = @p2 AND window_kind = @p3) AND range_start <= @p4 AND range_end > @p4) OR " +
                    "(monitor IN (SELECT name FROM monitors WHERE deployment = @p2 AND window_kind = @p5) AND range_start <= @p6 AND range_end > @p6))",
                    true, ReportStatus.Done, deployment, WindowKinds.Time, time, WindowKinds.Count, seq);
                accepted++;
            }

            return new FeedbackResult(accepted, rejected);
        }, ct);
    }
}
