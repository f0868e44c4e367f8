using System.Globalization;

namespace Keel.Server.Ui;

/// <summary>
/// The geometry of a parallel-coordinates plot (params → a metric), computed on the server and drawn as SVG.
/// A column whose values all parse as numbers gets a linear axis; any other gets one tick per distinct value.
/// </summary>
internal sealed record ParallelCoordinates(
    double Width, double Height, IReadOnlyList<ParallelCoordinates.Axis> Axes, IReadOnlyList<ParallelCoordinates.Line> Lines)
{
    private const double Top = 36, Bottom = 24, Side = 70;

    internal sealed record Axis(string Label, double X, IReadOnlyList<(double Y, string Text)> Ticks);

    internal sealed record Line(string RunName, string Color, string Points);

    /// <param name="columns">Axis label and each run's value (null when the run has none), in run order.</param>
    public static ParallelCoordinates Build(IReadOnlyList<(string Label, IReadOnlyList<string?> Values)> columns, IReadOnlyList<string> runNames, IReadOnlyList<string> colors)
    {
        var width = Math.Max(480, (columns.Count - 1) * 150 + (2 * Side));
        const double height = 320;
        var axes = new List<Axis>();
        var positions = new List<double?[]>();
        for (var i = 0; i < columns.Count; i++)
        {
            var x = columns.Count == 1 ? width / 2 : Side + (i * (width - (2 * Side)) / (columns.Count - 1));
            var (ticks, ys) = Scale(columns[i].Values, height);
            axes.Add(new Axis(columns[i].Label, x, ticks));
            positions.Add(ys);
        }

        var lines = new List<Line>();
        for (var r = 0; r < runNames.Count; r++)
        {
            var points = axes.Select((a, i) => positions[i][r] is { } y ? $"{F(a.X)},{F(y)}" : null).OfType<string>();
            lines.Add(new Line(runNames[r], colors[r % colors.Count], string.Join(' ', points)));
        }

        return new ParallelCoordinates(width, height, axes, lines);
    }

    private static (List<(double, string)> Ticks, double?[] Ys) Scale(IReadOnlyList<string?> values, double height)
    {
        var bottom = height - Bottom;
        var span = bottom - Top;
        var present = values.OfType<string>().ToList();
        var numbers = present.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : (double?)null).ToList();
        if (present.Count > 0 && numbers.All(n => n is not null))
        {
            var min = numbers.Min()!.Value;
            var max = numbers.Max()!.Value;
            double Y(double v) => max == min ? Top + (span / 2) : bottom - ((v - min) / (max - min) * span);
            var ys = values.Select(v => v is null ? (double?)null : Y(double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))).ToArray();
            List<(double, string)> ticks = max == min ? [(Y(min), UiFormat.Number(min))] : [(Y(max), UiFormat.Number(max)), (Y(min), UiFormat.Number(min))];
            return (ticks, ys);
        }

        var categories = present.Distinct().Order(StringComparer.Ordinal).ToList();
        double At(int index) => categories.Count == 1 ? Top + (span / 2) : bottom - (index * span / (categories.Count - 1));
        return (categories.Select((c, i) => (At(i), c)).ToList(), values.Select(v => v is null ? (double?)null : At(categories.IndexOf(v))).ToArray());
    }

    public static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
