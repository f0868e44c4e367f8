using System.Text.Json;

namespace Keel.Core.Evaluation;

/// <summary>
/// Writes evaluation.json: everything the report shows, with metric names as logged, the original slice values next
/// to their key parts, and a reason wherever a metric is absent.
/// </summary>
internal static class EvaluationJson
{
    public static void Write(Stream stream, EvaluationResult result, EvaluationSubject subject)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("model", subject.Model);
        json.WriteString("data", subject.Data);
        json.WriteString("target", subject.TargetColumn);
        if (subject.Baseline is not null)
        {
            json.WriteString("baseline", subject.Baseline);
        }

        json.WriteString("task", result.Task == EvaluationTask.Binary ? "binary_classification" : "regression");
        json.WriteNumber("rows", result.Rows);
        Scored(json, result.Overall);
        json.WriteStartArray("slices");
        foreach (var slice in result.Slices)
        {
            json.WriteStartObject();
            json.WriteString("column", slice.Column);
            json.WriteStartArray("groups");
            foreach (var group in slice.Groups)
            {
                json.WriteStartObject();
                json.WriteString("value", group.Value);
                json.WriteString("key", group.Key);
                json.WriteNumber("rows", group.Scored.Rows);
                Metrics(json, "metrics", group.Scored.Values);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            Metrics(json, "gap", slice.Gaps);
            Metrics(json, "fairness", slice.Fairness);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("importance");
        var rank = 1;
        foreach (var feature in result.Importance)
        {
            json.WriteStartObject();
            json.WriteNumber("rank", rank++);
            json.WriteString("feature", feature.Feature);
            json.WriteNumber("mean", feature.Mean);
            json.WriteNumber("std", feature.Std);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (result.Comparison is { } comparison)
        {
            json.WriteStartObject("comparison");
            Metrics(json, "baseline", comparison.Baseline.Values);
            Metrics(json, "delta", comparison.Deltas);
            if (comparison.McNemar is { } test)
            {
                json.WriteStartObject("mcnemar");
                json.WriteNumber("statistic", test.Statistic);
                json.WriteNumber("p_value", test.PValue);
                json.WriteBoolean("exact", test.Exact);
                json.WriteNumber("only_candidate_correct", test.OnlyCandidateCorrect);
                json.WriteNumber("only_baseline_correct", test.OnlyBaselineCorrect);
                json.WriteEndObject();
            }

            json.WriteStartObject("bootstrap_ci95");
            foreach (var (metric, interval) in comparison.Intervals)
            {
                json.WriteStartObject(metric);
                json.WriteNumber("low", interval.Low);
                json.WriteNumber("high", interval.High);
                json.WriteNumber("resamples", interval.Resamples);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void Scored(Utf8JsonWriter json, ScoredRows scored)
    {
        Metrics(json, "metrics", scored.Values);
        if (scored.Binary is { } binary)
        {
            json.WriteStartArray("confusion_matrix");
            foreach (var row in binary.ConfusionMatrix)
            {
                json.WriteStartArray();
                foreach (var count in row)
                {
                    json.WriteNumberValue(count);
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            Curve(json, "roc_curve", "fpr", "tpr", binary.Roc);
            Curve(json, "pr_curve", "recall", "precision", binary.PrecisionRecall);
            json.WriteStartArray("reliability");
            foreach (var bin in binary.Reliability)
            {
                json.WriteStartObject();
                json.WriteNumber("mean_predicted", bin.MeanPredicted);
                json.WriteNumber("fraction_positive", bin.FractionPositive);
                json.WriteNumber("rows", bin.Count);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (scored.Regression?.Residuals is { } residuals)
        {
            json.WriteStartObject("residuals");
            foreach (var (name, value) in residuals.Quantiles)
            {
                json.WriteNumber(name, value);
            }

            json.WritePropertyName("histogram_edges");
            JsonSerializer.Serialize(json, residuals.Edges);
            json.WritePropertyName("histogram_counts");
            JsonSerializer.Serialize(json, residuals.Counts);
            json.WriteEndObject();
        }
    }

    private static void Curve(Utf8JsonWriter json, string name, string x, string y, CurvePoint[] points)
    {
        json.WriteStartObject(name);
        json.WritePropertyName(x);
        JsonSerializer.Serialize(json, points.Select(p => p.X).ToArray());
        json.WritePropertyName(y);
        JsonSerializer.Serialize(json, points.Select(p => p.Y).ToArray());
        json.WriteEndObject();
    }

    private static void Metrics(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, MetricValue> values)
    {
        json.WriteStartObject(name);
        foreach (var (metric, value) in values)
        {
            if (value.Value is { } v)
            {
                json.WriteNumber(metric, v);
            }
        }

        json.WriteEndObject();
        var absent = values.Where(v => v.Value.Value is null).ToList();
        if (absent.Count > 0)
        {
            json.WriteStartObject(name + "_absent");
            foreach (var (metric, value) in absent)
            {
                json.WriteString(metric, value.Reason);
            }

            json.WriteEndObject();
        }
    }
}

/// <summary>What was evaluated: the model (URI and resolved version), the data, the target column, the baseline.</summary>
internal sealed record EvaluationSubject(string Model, string Data, string TargetColumn, string? Baseline);
