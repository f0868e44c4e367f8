using System.Globalization;
using System.Net;
using System.Text;

namespace Keel.Core.Evaluation;

/// <summary>
/// The evaluation report as one self-contained HTML file (inline CSS and SVG, no scripts, no external resources):
/// metrics, confusion matrix, ROC and precision–recall curves, calibration, residuals, slices, importance, comparison.
/// </summary>
internal static class EvaluationHtml
{
    private const int Size = 240;
    private const int Pad = 30;

    public static string Render(EvaluationResult result, EvaluationSubject subject)
    {
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Keel evaluation report</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem;color:#1f2933}
            table{border-collapse:collapse;margin:1rem 0}td,th{border-bottom:1px solid #d9e2ec;padding:.35rem .6rem;text-align:left}
            td.n{text-align:right;font-variant-numeric:tabular-nums}.absent{color:#6b7280}
            .plots{display:flex;flex-wrap:wrap;gap:1.5rem}figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}
            svg text{font-size:10px;fill:#52606d}svg .axis{stroke:#9aa5b1}svg .line{fill:none;stroke:#4e79a7;stroke-width:2}
            svg .diag{stroke:#d9e2ec;stroke-dasharray:4}svg .bar{fill:#4e79a7}svg .dot{fill:#f28e2b}
            </style></head><body>
            <h1>Evaluation report</h1>
            """);
        html.Append("<p>Model <b>").Append(Encode(subject.Model)).Append("</b> on <b>").Append(Encode(subject.Data)).Append("</b>, target <b>")
            .Append(Encode(subject.TargetColumn)).Append("</b>: ").Append(result.Rows.ToString("N0", CultureInfo.InvariantCulture)).Append(" rows, ")
            .Append(result.Task == EvaluationTask.Binary ? "binary classification" : "regression").Append(".</p>\n");
        html.Append("<h2>Metrics</h2>");
        MetricTable(html, result.Overall.Values, result.Comparison);
        html.Append("<div class=\"plots\">");
        if (result.Overall.Binary is { } binary)
        {
            Confusion(html, binary.ConfusionMatrix);
            Figure(html, "ROC curve", "false-positive rate", "true-positive rate", binary.Roc, diagonal: true);
            Figure(html, "Precision–recall curve", "recall", "precision", binary.PrecisionRecall, diagonal: false);
            Figure(html, "Calibration (reliability)", "mean predicted probability", "fraction positive",
                [.. binary.Reliability.Select(b => new CurvePoint(b.MeanPredicted, b.FractionPositive))], diagonal: true);
        }

        if (result.Overall.Regression?.Residuals is { } residuals)
        {
            Histogram(html, residuals);
        }

        html.Append("</div>\n");
        foreach (var slice in result.Slices)
        {
            SliceTable(html, slice, Evaluator.MetricNames(result.Task));
        }

        if (result.Importance.Count > 0)
        {
            Importance(html, result.Importance);
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void MetricTable(StringBuilder html, IReadOnlyDictionary<string, MetricValue> values, Comparison? comparison)
    {
        html.Append("<table><tr><th>metric</th><th>value</th>");
        if (comparison is not null)
        {
            html.Append("<th>baseline</th><th>delta</th><th>95 % CI of delta / test</th>");
        }

        html.Append("</tr>\n");
        foreach (var (name, value) in values)
        {
            html.Append("<tr><td>").Append(Encode(name)).Append("</td>");
            Cell(html, value);
            if (comparison is not null)
            {
                Cell(html, comparison.Baseline.Values.GetValueOrDefault(name));
                Cell(html, comparison.Deltas.GetValueOrDefault(name));
                html.Append("<td>");
                if (comparison.Intervals.TryGetValue(name, out var interval))
                {
                    html.Append('[').Append(Number(interval.Low)).Append(", ").Append(Number(interval.High)).Append(']');
                }
                else if (name == "accuracy" && comparison.McNemar is { } test)
                {
                    html.Append("McNemar ").Append(test.Exact ? "exact" : "χ²").Append(" p = ").Append(Number(test.PValue));
                }

                html.Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void Cell(StringBuilder html, MetricValue value)
    {
        if (value.Value is { } v)
        {
            html.Append("<td class=\"n\">").Append(Number(v)).Append("</td>");
        }
        else
        {
            html.Append("<td class=\"absent\" title=\"").Append(Encode(value.Reason ?? "")).Append("\">—</td>");
        }
    }

    private static void Confusion(StringBuilder html, long[][] matrix)
    {
        html.Append("<figure><figcaption>Confusion matrix</figcaption><table><tr><th></th><th>predicted 0</th><th>predicted 1</th></tr>");
        for (var row = 0; row < matrix.Length; row++)
        {
            html.Append("<tr><th>actual ").Append(row).Append("</th>");
            foreach (var count in matrix[row])
            {
                html.Append("<td class=\"n\">").Append(count.ToString(CultureInfo.InvariantCulture)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table></figure>\n");
    }

    private static void Figure(StringBuilder html, string title, string xLabel, string yLabel, CurvePoint[] points, bool diagonal)
    {
        html.Append("<figure><figcaption>").Append(Encode(title)).Append("</figcaption>");
        var full = Size + 2 * Pad;
        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{full}\" height=\"{full}\" role=\"img\" aria-label=\"{Encode(title)}\">");
        html.Append(CultureInfo.InvariantCulture, $"<rect class=\"axis\" fill=\"none\" x=\"{Pad}\" y=\"{Pad}\" width=\"{Size}\" height=\"{Size}\"/>");
        if (diagonal)
        {
            html.Append(CultureInfo.InvariantCulture, $"<line class=\"diag\" x1=\"{Pad}\" y1=\"{Pad + Size}\" x2=\"{Pad + Size}\" y2=\"{Pad}\"/>");
        }

        if (points.Length > 0)
        {
            html.Append("<polyline class=\"line\" points=\"");
            foreach (var p in points)
            {
                html.Append(X(p.X)).Append(',').Append(Y(p.Y)).Append(' ');
            }

            html.Append("\"/>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Pad + Size / 2}\" y=\"{full - 5}\" text-anchor=\"middle\">{Encode(xLabel)}</text>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{Pad + Size / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 10 {Pad + Size / 2})\">{Encode(yLabel)}</text>");
        html.Append("</svg></figure>\n");
    }

    private static void Histogram(StringBuilder html, ResidualSummary residuals)
    {
        html.Append("<figure><figcaption>Residuals (actual − predicted)</figcaption>");
        var full = Size + 2 * Pad;
        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{full}\" height=\"{full}\" role=\"img\" aria-label=\"residual histogram\">");
        var max = Math.Max(1, residuals.Counts.Max());
        var width = (double)Size / residuals.Counts.Length;
        for (var i = 0; i < residuals.Counts.Length; i++)
        {
            var height = (double)residuals.Counts[i] / max * Size;
            html.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{Pad + i * width:0.##}\" y=\"{Pad + Size - height:0.##}\" width=\"{width - 1:0.##}\" height=\"{height:0.##}\"/>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Pad}\" y=\"{full - 5}\">{Number(residuals.Edges[0])}</text>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Pad + Size}\" y=\"{full - 5}\" text-anchor=\"end\">{Number(residuals.Edges[^1])}</text>");
        html.Append("</svg><table>");
        foreach (var (name, value) in residuals.Quantiles)
        {
            html.Append("<tr><td>").Append(name).Append("</td><td class=\"n\">").Append(Number(value)).Append("</td></tr>");
        }

        html.Append("</table></figure>\n");
    }

    private static void SliceTable(StringBuilder html, SliceResult slice, IReadOnlyList<string> metrics)
    {
        html.Append("<h2>Slices by ").Append(Encode(slice.Column)).Append("</h2><table><tr><th>value</th><th>rows</th>");
        foreach (var metric in metrics)
        {
            html.Append("<th>").Append(Encode(metric)).Append("</th>");
        }

        html.Append("</tr>\n");
        foreach (var group in slice.Groups)
        {
            html.Append("<tr><td>").Append(group.Value is null ? "<i>missing</i>" : Encode(group.Value)).Append("</td><td class=\"n\">")
                .Append(group.Scored.Rows.ToString(CultureInfo.InvariantCulture)).Append("</td>");
            foreach (var metric in metrics)
            {
                Cell(html, group.Scored.Values[metric]);
            }

            html.Append("</tr>\n");
        }

        html.Append("<tr><th>gap (max − min)</th><td></td>");
        foreach (var metric in metrics)
        {
            Cell(html, slice.Gaps[metric]);
        }

        html.Append("</tr></table>\n");
        if (slice.Fairness.Count > 0)
        {
            html.Append("<table>");
            foreach (var (name, value) in slice.Fairness)
            {
                html.Append("<tr><td>").Append(Encode(name.Replace('_', ' '))).Append("</td>");
                Cell(html, value);
                html.Append("</tr>");
            }

            html.Append("</table>\n");
        }
    }

    private static void Importance(StringBuilder html, IReadOnlyList<FeatureImportance> importance)
    {
        html.Append("<h2>Permutation feature importance</h2><p>Mean drop of the score over the shuffles (bar), ± one standard deviation.</p>");
        const int Row = 18, Label = 160, Bars = 300;
        var max = Math.Max(1e-12, importance.Max(i => Math.Abs(i.Mean) + i.Std));
        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Label + Bars + 120}\" height=\"{importance.Count * Row + 10}\" role=\"img\" aria-label=\"feature importance\">");
        for (var i = 0; i < importance.Count; i++)
        {
            var feature = importance[i];
            var y = 5 + i * Row;
            var width = Math.Max(0, feature.Mean) / max * Bars;
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Label - 6}\" y=\"{y + 12}\" text-anchor=\"end\">{Encode(feature.Feature)}</text>");
            html.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{Label}\" y=\"{y + 2}\" width=\"{width:0.##}\" height=\"{Row - 5}\"/>");
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Label + width + 6:0.##}\" y=\"{y + 12}\">{Number(feature.Mean)} ± {Number(feature.Std)}</text>");
        }

        html.Append("</svg>\n");
    }

    private static string X(double value) => (Pad + Math.Clamp(value, 0, 1) * Size).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Y(double value) => (Pad + Size - Math.Clamp(value, 0, 1) * Size).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
