using System.Globalization;
using Keel.Core.Monitoring;

namespace Keel.Core.Tests.Monitoring;

public sealed class DriftReportTests
{
    private static readonly DriftOptions Defaults = new();

    [Theory]
    [InlineData(500)]
    [InlineData(5000)]
    public void IdenticalDistributions_DriftNowhere(int rows)
    {
        var reference = Table(rows, seed: 1, shift: 0);
        var current = Table(rows, seed: 1, shift: 0);

        var report = Report(reference, current);

        Assert.False(report.DatasetDrift);
        Assert.Equal(0, report.DriftedColumns);
        Assert.Equal(3, report.TestedColumns);
        Assert.All(report.Columns, c => Assert.False(c.Drifted));
    }

    [Theory]
    [InlineData(500, "ks", "chi_square")]
    [InlineData(5000, "wasserstein_normed", "jensen_shannon")]
    public void ShiftedMeanOnOneColumn_DriftsThatColumnOnly(int rows, string numericTest, string categoricalTest)
    {
        var report = Report(Table(rows, seed: 1, shift: 0), Table(rows, seed: 2, shift: 1.0));

        var byName = report.Columns.ToDictionary(c => c.Column);
        Assert.True(byName["shifted"].Drifted);
        Assert.False(byName["steady"].Drifted);
        Assert.False(byName["colour"].Drifted);
        Assert.Equal(numericTest, byName["shifted"].Test);
        Assert.Equal(categoricalTest, byName["colour"].Test);
        Assert.Equal(1, report.DriftedColumns);
        Assert.False(report.DatasetDrift);
        Assert.True(byName["shifted"].Psi > 0.25);
    }

    [Fact]
    public void HalfTheColumnsDrifting_IsDatasetDrift()
    {
        var reference = new DriftTable(3, [Text("a", "1", "2", "3"), Text("b", "x", "y", "x")]);
        var current = new DriftTable(3, [Text("a", "1", "2", "3"), Text("b", "z", "z", "z")]);

        var report = Report(reference, current);

        Assert.Equal(0.5, report.DriftShare);
        Assert.True(report.DatasetDrift);
    }

    [Fact]
    public void EmptyCurrentWindow_GivesNoVerdictWithAReason()
    {
        var reference = new DriftTable(3, [Text("x", "1.5", "2.5", "3.5", "4.5", "5.5", "6.5"), Text("c", "a", "b", "a")]);
        var current = new DriftTable(0, [Text("x"), Text("c")]);

        var report = Report(reference, current);

        Assert.All(report.Columns, c =>
        {
            Assert.Null(c.Drifted);
            Assert.Contains("empty window", c.Reason);
        });
        Assert.Equal(0, report.TestedColumns);
        Assert.False(report.DatasetDrift);
    }

    [Fact]
    public void NumericWithFewDistinctValues_IsCategoricalUnlessOverridden()
    {
        var reference = new DriftTable(6, [Text("level", "1", "2", "3", "1", "2", "3")]);
        var current = new DriftTable(6, [Text("level", "1", "2", "3", "3", "3", "3")]);

        var inferred = Report(reference, current).Columns.Single();
        var overridden = DriftReporter.Compute(
            ColumnTyping.Prepare(reference, current, Numeric("level")).Samples, 6, 6, Numeric("level")).Columns.Single();

        Assert.Equal(("categorical", "chi_square"), (inferred.Kind, inferred.Test));
        Assert.Equal(("numeric", "ks"), (overridden.Kind, overridden.Test));
    }

    [Fact]
    public void Quality_CountsMissingTypeViolationsOutOfRangeAndUnseen()
    {
        var reference = new DriftTable(8, [
            Text("x", "1", "2", "3", "4", "5", "6", "7", "8"),
            Text("c", "a", "b", "a", "b", "a", "b", "a", "b")]);
        var current = new DriftTable(8, [
            Text("x", "0", "2", "3", "", "NaN", "oops", "9", "10"),
            Text("c", "a", "b", "z", "z", "y", null, "a", "b")]);

        var byName = Report(reference, current).Columns.ToDictionary(c => c.Column);

        Assert.Equal(new ColumnQuality(0, 2, 0.25, 1, 3, 0, 0), byName["x"].Quality);
        Assert.Equal(5, byName["x"].CurrentCount);
        Assert.Equal(new ColumnQuality(0, 1, 0.125, 0, 0, 2, 3), byName["c"].Quality);
    }

    [Fact]
    public void Thresholds_OverrideForTheReportAndPerColumn()
    {
        var reference = Table(500, seed: 1, shift: 0);
        var current = Table(500, seed: 2, shift: 1.0);
        var lax = Defaults with
        {
            KsPValue = 1e-300,
            Columns = new Dictionary<string, ColumnDriftOptions> { ["steady"] = new(Threshold: 1.0) },
        };

        var byName = DriftReporter.Compute(ColumnTyping.Prepare(reference, current, lax).Samples, 500, 500, lax).Columns.ToDictionary(c => c.Column);

        Assert.False(byName["shifted"].Drifted);
        Assert.Equal(1e-300, byName["shifted"].Threshold);
        Assert.True(byName["steady"].Drifted);
        Assert.Equal(1.0, byName["steady"].Threshold);
    }

    [Fact]
    public void SchemaDifferences_AreListed()
    {
        var reference = new DriftTable(2, [Text("a", "1", "2"), Text("gone", "x", "y")]);
        var current = new DriftTable(2, [Text("a", "1", "2"), Text("new", "p", "q")]);

        var report = Report(reference, current);

        Assert.Equal(["gone"], report.MissingColumns);
        Assert.Equal(["new"], report.UnexpectedColumns);
        Assert.Null(report.Columns.Single(c => c.Column == "gone").Drifted);
    }

    [Fact]
    public void MixedColumn_KeepsTextAndNumbersApartAndLabelsNumbersInRoundTripForm()
    {
        var column = TableColumn.FromText("mixed", ["1.50", "x", null, "NA", "2", "x"]);

        Assert.Equal(["1.5", "x", null, null, "2", "x"], Enumerable.Range(0, column.Length).Select(column.Text));
        Assert.Equal(["x"], column.Labels);
        Assert.Null(TableColumn.FromText("numbers", ["1", "", "3"]).Codes);
    }

    private static DriftReport Report(DriftTable reference, DriftTable current)
    {
        var typed = ColumnTyping.Prepare(reference, current, Defaults);
        return DriftReporter.Compute(typed.Samples, reference.Rows, current.Rows, Defaults, typed.MissingColumns, typed.UnexpectedColumns);
    }

    private static DriftOptions Numeric(string column) =>
        Defaults with { Columns = new Dictionary<string, ColumnDriftOptions> { [column] = new(Kind: ColumnKind.Numeric) } };

    private static TableColumn Text(string name, params string?[] values) => TableColumn.FromText(name, values);

    /// <summary>Two normal columns (one shifted by <paramref name="shift"/> standard deviations) and a 3-colour column.</summary>
    private static DriftTable Table(int rows, int seed, double shift)
    {
        var random = new Random(seed);
        string Normal(double mean) =>
            (mean + Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())).ToString("R", CultureInfo.InvariantCulture);
        var steady = new string?[rows];
        var shifted = new string?[rows];
        var colour = new string?[rows];
        string[] colours = ["red", "green", "blue"];
        for (var i = 0; i < rows; i++)
        {
            steady[i] = Normal(0);
            shifted[i] = Normal(shift);
            colour[i] = colours[random.Next(3)];
        }

        return new DriftTable(rows, [Text("steady", steady), Text("shifted", shifted), Text("colour", colour)]);
    }
}
