using System.Globalization;
using System.Text;
using System.Text.Json;
using Keel.Cli.Commands;
using Parquet.Serialization;

namespace Keel.Cli.Tests;

public sealed class DriftCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-drift-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Drift_OnIdenticalTables_ExitsZeroWithNoDrift()
    {
        var reference = Csv("ref.csv", Rows(400, seed: 1, shift: 0));
        var current = Csv("cur.csv", Rows(400, seed: 1, shift: 0));

        var result = await CliRunner.RunAsync("drift", "--reference", reference, "--current", current);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("No dataset drift: 0 of 3 tested columns drifted", result.Output, StringComparison.Ordinal);
        Assert.Contains("| amount | numeric | ks (exact) |", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Drift_WithShiftedColumns_ExitsDriftDetectedAndNamesThem()
    {
        var reference = Csv("ref.csv", Rows(400, seed: 1, shift: 0));
        var current = Csv("cur.csv", Rows(400, seed: 2, shift: 1.5));
        var report = Path.Combine(_dir, "report.json");

        var result = await CliRunner.RunAsync("drift", "--reference", reference, "--current", current, "--format", "json", "--out", report);

        Assert.Equal(ExitCodes.DriftDetected, result.ExitCode);
        Assert.Contains("Dataset drift: 2 of 3", result.Output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.True(json.RootElement.GetProperty("dataset_drift").GetBoolean());
        var columns = json.RootElement.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.True(columns["amount"].GetProperty("drifted").GetBoolean());
        Assert.True(columns["plan"].GetProperty("drifted").GetBoolean());
        Assert.False(columns["steady"].GetProperty("drifted").GetBoolean());
        Assert.Equal("chi_square", columns["plan"].GetProperty("test").GetString());
        Assert.Equal(400, columns["amount"].GetProperty("reference_count").GetInt64());
        Assert.True(columns["amount"].GetProperty("p_value").GetDouble() <= 0.05);
    }

    [Fact]
    public async Task Drift_HtmlReport_IsOneSelfContainedFileWithAPlotPerColumn()
    {
        var reference = Csv("ref.csv", Rows(300, seed: 1, shift: 0));
        var current = Csv("cur.csv", Rows(300, seed: 2, shift: 1.5));
        var report = Path.Combine(_dir, "report.html");

        var result = await CliRunner.RunAsync("drift", "--reference", reference, "--current", current, "--format", "html", "--out", report);

        Assert.Equal(ExitCodes.DriftDetected, result.ExitCode);
        var html = File.ReadAllText(report);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(3, html.Split("<svg ").Length - 1);
        Assert.Contains("<style>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, html.Split("http").Length - 1);
    }

    [Fact]
    public async Task Drift_HtmlReport_EscapesNamesAndValues()
    {
        var reference = Csv("ref.csv", "\"<b>&x\"\n<i>\n<i>\n<u>\n");
        var current = Csv("cur.csv", "\"<b>&x\"\n<i>\n<script>\n<u>\n");
        var report = Path.Combine(_dir, "report.html");

        await CliRunner.RunAsync("drift", "--reference", reference, "--current", current, "--format", "html", "--out", report);

        var html = File.ReadAllText(report);
        Assert.Contains("&lt;b&gt;&amp;x", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>&x", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_ReadsParquet()
    {
        var random = new Random(3);
        var reference = Path.Combine(_dir, "ref.parquet");
        var current = Path.Combine(_dir, "cur.parquet");
        await WriteParquetAsync(reference, Enumerable.Range(0, 300).Select(i => new Point { X = random.NextDouble(), Label = i % 2 == 0 ? "a" : "b" }));
        await WriteParquetAsync(current, Enumerable.Range(0, 300).Select(i => new Point { X = random.NextDouble() + 2, Label = i % 2 == 0 ? "a" : "b" }));

        var result = await CliRunner.RunAsync("drift", "--reference", reference, "--current", current, "--format", "json");

        Assert.Equal(ExitCodes.DriftDetected, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var columns = json.RootElement.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.Equal("ks", columns["X"].GetProperty("test").GetString());
        Assert.Equal(300, columns["X"].GetProperty("quality").GetProperty("out_of_range").GetInt64());
        Assert.False(columns["Label"].GetProperty("drifted").GetBoolean());
    }

    [Fact]
    public async Task Drift_KindOverrides_ChangeTheTest()
    {
        var reference = Csv("ref.csv", Rows(200, seed: 1, shift: 0));
        var current = Csv("cur.csv", Rows(200, seed: 2, shift: 0));

        var result = await CliRunner.RunAsync("drift", "--reference", reference, "--current", current, "--categorical", "steady", "--numeric", "plan", "--format", "json");

        using var json = JsonDocument.Parse(result.Output);
        var columns = json.RootElement.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.Equal("chi_square", columns["steady"].GetProperty("test").GetString());
        Assert.Equal("numeric", columns["plan"].GetProperty("kind").GetString());
        Assert.Equal(200, columns["plan"].GetProperty("quality").GetProperty("type_violations").GetInt64());
    }

    [Fact]
    public async Task Drift_WithMissingFile_ReturnsInvalidArgumentsInOneLine()
    {
        var reference = Csv("ref.csv", Rows(10, seed: 1, shift: 0));

        var result = await CliRunner.RunAsync("drift", "--reference", reference, "--current", Path.Combine(_dir, "nope.csv"));

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.StartsWith("Error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("nope.csv", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Drift_ThresholdOptions_ChangeTheVerdicts()
    {
        var reference = Csv("ref.csv", Rows(400, seed: 1, shift: 0));
        var current = Csv("cur.csv", Rows(400, seed: 2, shift: 1.5));

        var result = await CliRunner.RunAsync("drift", "--reference", reference, "--current", current, "--format", "json",
            "--thresholds", "ks=1e-300,dataset=0.9", "--column-threshold", "steady=1");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var columns = json.RootElement.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.False(columns["amount"].GetProperty("drifted").GetBoolean());
        Assert.True(columns["steady"].GetProperty("drifted").GetBoolean());
        Assert.True(columns["plan"].GetProperty("drifted").GetBoolean());
        Assert.Equal(0.9, json.RootElement.GetProperty("dataset_drift_threshold").GetDouble());
    }

    [Theory]
    [InlineData("--categorical", "nosuch")]
    [InlineData("--column-threshold", "nosuch=0.1")]
    [InlineData("--thresholds", "bogus=1")]
    [InlineData("--thresholds", "ks=2")]
    [InlineData("--thresholds", "ks=-1")]
    [InlineData("--format", "xml")]
    public async Task Drift_WithBadOption_ReturnsInvalidArguments(string option, string value)
    {
        var reference = Csv("ref.csv", Rows(10, seed: 1, shift: 0));

        var result = await CliRunner.RunAsync("drift", "--reference", reference, "--current", reference, option, value);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains(value.Split('=')[0], result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Drift_WithRaggedCsv_NamesTheRecord()
    {
        var reference = Csv("ref.csv", Rows(10, seed: 1, shift: 0));
        var ragged = Csv("bad.csv", "a,b\n1,2\n3\n");

        var result = await CliRunner.RunAsync("drift", "--reference", reference, "--current", ragged);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains("record 3 has 1 fields", result.Error, StringComparison.Ordinal);
    }

    public sealed class Point
    {
        public double X { get; set; }

        public string Label { get; set; } = "";
    }

    private static async Task WriteParquetAsync(string path, IEnumerable<Point> rows)
    {
        await using var stream = File.Create(path);
        await ParquetSerializer.SerializeAsync(rows, stream);
    }

    private string Csv(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>amount (normal, shifted by <paramref name="shift"/>), steady (normal), plan (3 values, skewed when shifted).</summary>
    private static string Rows(int rows, int seed, double shift)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var csv = new StringBuilder("amount,steady,plan\n");
        string[] plans = ["free", "pro", "team"];
        for (var i = 0; i < rows; i++)
        {
            var plan = shift > 0 && random.NextDouble() < 0.5 ? "team" : plans[random.Next(3)];
            csv.Append(CultureInfo.InvariantCulture, $"{Normal() + shift:R},{Normal():R},{plan}\n");
        }

        return csv.ToString();
    }
}
