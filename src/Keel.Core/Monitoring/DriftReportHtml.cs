using System.Globalization;
using System.Net;
using System.Text;

namespace Keel.Core.Monitoring;

/// <summary>
/// A drift report as one self-contained HTML file: inline CSS, one inline SVG per column comparing the reference's
/// and the current table's distribution, no scripts and no external resources, so it can be mailed or archived.
/// </summary>
internal static class DriftReportHtml
{
    private const int Width = 420;
    private const int Height = 140;
    private const int Bottom = 20;

    public static string Render(DriftReport report)
    {
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Keel drift report</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem;color:#1f2933}
            table{border-collapse:collapse;margin:1rem 0}td,th{border-bottom:1px solid #d9e2ec;padding:.35rem .6rem;text-align:left;vertical-align:top}
            .drift{color:#b42318;font-weight:600}.ok{color:#067647}.none{color:#6b7280}
            .ref{fill:#4e79a7}.cur{fill:#f28e2b}.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem}
            svg text{font-size:10px;fill:#52606d}
            </style></head><body>
            <h1>Drift report</h1>
            """);
        html.Append("<p>").Append(Encode(DriftReportText.Summary(report).Replace("**", "", StringComparison.Ordinal))).Append("</p>\n");
        html.Append("<p class=\"legend\"><span style=\"background:#4e79a7\"></span>reference<span style=\"background:#f28e2b\"></span>current</p>\n");
        foreach (var (label, names) in new[] { ("Missing from the current table", report.MissingColumns), ("Only in the current table", report.UnexpectedColumns) })
        {
            if (names.Count > 0)
            {
                html.Append("<p>").Append(label).Append(": ").Append(Encode(string.Join(", ", names))).Append("</p>\n");
            }
        }

        html.Append("<table><tr><th>column</th><th>test</th><th>result</th><th>quality</th><th>distribution</th></tr>\n");
        foreach (var c in report.Columns)
        {
            var q = c.Quality;
            var verdictClass = c.Drifted switch { true => "drift", false => "ok", null => "none" };
            html.Append("<tr><td><strong>").Append(Encode(c.Column)).Append("</strong><br>").Append(c.Kind).Append("</td>");
            html.Append("<td>").Append(Encode(c.Test is null ? "-" : c.Method is null ? c.Test : $"{c.Test} ({c.Method})"))
                .Append("<br>n = ").Append(c.ReferenceCount.ToString("N0", CultureInfo.InvariantCulture)).Append(" / ")
                .Append(c.CurrentCount.ToString("N0", CultureInfo.InvariantCulture)).Append("</td>");
            html.Append("<td class=\"").Append(verdictClass).Append("\">").Append(Encode(DriftReportText.Verdict(c).Replace("**", "", StringComparison.Ordinal)))
                .Append("</td><td>");
            html.Append("statistic ").Append(DriftReportText.Format(c.Statistic));
            if (c.PValue is not null)
            {
                html.Append("<br>p-value ").Append(DriftReportText.Format(c.PValue));
            }

            if (c.Rule is not null)
            {
                html.Append("<br>drift when ").Append(Encode(c.Rule));
            }

            if (c.Psi is not null)
            {
                html.Append("<br>PSI ").Append(DriftReportText.Format(c.Psi));
            }

            html.Append(CultureInfo.InvariantCulture, $"<br>missing {q.Missing:N0} ({q.MissingShare:P1}), type violations {q.TypeViolations:N0}");
            html.Append(CultureInfo.InvariantCulture, $"<br>out of range {q.OutOfRange:N0}, unseen categories {q.UnseenCategories} ({q.UnseenRows:N0} rows)");
            html.Append("</td><td>").Append(Plot(c.Distribution)).Append("</td></tr>\n");
        }

        html.Append("</table>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>Paired bars per bin or category, heights as shares of each table so different sizes compare.</summary>
    public static string Plot(ColumnDistribution d)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\">");
        var groups = d.Reference.Count;
        if (groups > 0)
        {
            var max = Math.Max(d.Reference.Concat(d.Current).Max(), 1e-12);
            var slot = (double)Width / groups;
            var bar = Math.Max(slot * 0.4, 1);
            var plotHeight = Height - Bottom;
            for (var g = 0; g < groups; g++)
            {
                Bar(svg, "ref", g * slot + slot * 0.1, bar, d.Reference[g] / max * plotHeight, plotHeight);
                Bar(svg, "cur", g * slot + slot * 0.1 + bar, bar, d.Current[g] / max * plotHeight, plotHeight);
            }

            // Label the ends of a numeric axis, or the categories when few enough to read.
            if (d.Edges is { Count: > 1 } edges)
            {
                Label(svg, 0, "start", edges[0]);
                Label(svg, Width, "end", edges[^1]);
            }
            else if (groups <= 6)
            {
                for (var g = 0; g < groups; g++)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{g * slot + slot / 2:0.#}\" y=\"{Height - 5}\" text-anchor=\"middle\">{Encode(Shorten(d.Labels[g]))}</text>");
                }
            }
        }

        return svg.Append("</svg>").ToString();
    }

    private static void Bar(StringBuilder svg, string cssClass, double x, double width, double height, double baseline) =>
        svg.Append(CultureInfo.InvariantCulture,
            $"<rect class=\"{cssClass}\" x=\"{x:0.##}\" y=\"{baseline - height:0.##}\" width=\"{width:0.##}\" height=\"{height:0.##}\"/>");

    private static void Label(StringBuilder svg, double x, string anchor, double value) =>
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{Height - 5}\" text-anchor=\"{anchor}\">{value:G4}</text>");

    private static string Shorten(string label) => label.Length <= 12 ? label : label[..11] + "…";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
