using System.Globalization;
using System.Text;
using System.Text.Json;
using Keel.Cli.Commands;
using Keel.Client;
using Keel.Testing;

namespace Keel.Cli.Tests;

/// <summary>
/// <c>keel validate-data</c> on constructed tables: a clean sample passes, and each violation class is flagged alone
/// (the JSON report lists exactly that kind), against a stored reference profile and against a schema.json.
/// </summary>
public sealed class ValidateDataCommandTests(KeelServerFixture server) : IClassFixture<KeelServerFixture>, IDisposable
{
    private const string Header = "id,age,income,city,label";

    private readonly KeelClient _client = new(server.Http);
    private readonly string _trackingUri = server.BaseAddress.ToString();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("keel-validate-test-");

    public void Dispose()
    {
        _client.Dispose();
        _directory.Delete(recursive: true);
    }

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "--tracking-uri", _trackingUri]);

    /// <summary>
    /// 200 rows: unique ids, ages 18..70, incomes 1000..2000 with every tenth missing, cities a/b/c, labels alternating
    /// yes/no. <paramref name="offset"/> rotates each column by a different amount, so a second sample pairs values
    /// differently but holds exactly the reference's values in every column.
    /// </summary>
    private static List<string[]> Rows(int offset = 0) => Enumerable.Range(0, 200).Select(i =>
    {
        int Row(int step) => (i + offset * step) % 200;
        return new[]
        {
            Row(1).ToString(CultureInfo.InvariantCulture),
            (18 + Row(3) % 53).ToString(CultureInfo.InvariantCulture),
            Row(7) % 10 == 9 ? "" : (1000 + Row(7) * 5.025).ToString("0.###", CultureInfo.InvariantCulture),
            (Row(11) % 3) switch { 0 => "a", 1 => "b", _ => "c" },
            Row(13) % 2 == 0 ? "yes" : "no",
        };
    }).ToList();

    private string Write(IEnumerable<string[]> rows, string header = Header, string name = "table.csv")
    {
        var directory = _directory.CreateSubdirectory(Guid.NewGuid().ToString("N"));
        var path = Path.Combine(directory.FullName, name);
        File.WriteAllText(path, header + "\n" + string.Join("\n", rows.Select(r => string.Join(',', r))) + "\n", Encoding.UTF8);
        return path;
    }

    private async Task<string> ReferenceAsync()
    {
        var name = $"validate-{Guid.NewGuid():N}";
        var reference = Write(Rows());
        var added = await RunAsync("data", "add", reference, "--name", name);
        Assert.True(added.ExitCode == ExitCodes.Success, added.Error);
        return $"data:/{name}@1";
    }

    private static List<string> Kinds(CliResult result) =>
        JsonDocument.Parse(result.Output).RootElement.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("kind").GetString()!).ToList();

    [Fact]
    public async Task CleanSample_AgainstReferenceProfile_Passes()
    {
        var reference = await ReferenceAsync();

        var result = await RunAsync("validate-data", "--data", Write(Rows(offset: 1)), "--against", reference, "--target", "label");

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output + result.Error);
        Assert.Contains("PASSED", result.Output);
        Assert.Contains("Label 'label': PSI 0 ", result.Output);
    }

    public static TheoryData<string, string> Violations => new()
    {
        { "missing_column", "income" },
        { "unexpected_column", "zip" },
        { "type_mismatch", "age" },
        { "null_values", "age" },
        { "out_of_range", "age" },
        { "unseen_category", "city" },
        { "duplicate_rows", "" },
        { "missing_rate", "income" },
        { "label_shift", "label" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task EachViolationClass_AgainstReferenceProfile_IsFlaggedAlone(string kind, string column)
    {
        var reference = await ReferenceAsync();
        var rows = Rows(offset: 1);
        var header = Header;
        switch (kind)
        {
            case "missing_column":
                rows = rows.Select(r => new[] { r[0], r[1], r[3], r[4] }).ToList();
                header = "id,age,city,label";
                break;
            case "unexpected_column":
                rows = rows.Select(r => r.Append("12345").ToArray()).ToList();
                header += ",zip";
                break;
            case "type_mismatch":
                rows[5][1] = "forty";
                break;
            case "null_values":
                rows[5][1] = rows[6][1] = "";
                break;
            case "out_of_range":
                rows[5][1] = "150";
                break;
            case "unseen_category":
                rows[5][3] = "z";
                break;
            case "duplicate_rows":
                rows = [.. rows, .. rows.Take(30).Select(r => (string[])r.Clone())];
                break;
            case "missing_rate":
                rows.Where((_, i) => i % 2 == 0).ToList().ForEach(r => r[2] = "");
                break;
            case "label_shift":
                rows.Where((_, i) => i % 10 != 0).ToList().ForEach(r => r[4] = "yes");
                break;
        }

        var result = await RunAsync("validate-data", "--data", Write(rows, header), "--against", reference, "--target", "label", "--json");

        Assert.True(result.ExitCode == ExitCodes.DataValidationFailed, result.Output + result.Error);
        Assert.Equal([kind], Kinds(result));
        var violation = JsonDocument.Parse(result.Output).RootElement.GetProperty("violations")[0];
        Assert.Equal(column, violation.TryGetProperty("column", out var c) ? c.GetString() : "");
    }

    [Fact]
    public async Task SchemaFile_ChecksItsRules_AndCleanDataPasses()
    {
        var schema = Path.Combine(_directory.FullName, "schema.json");
        await File.WriteAllTextAsync(schema, """
            {
              "columns": [
                {"name": "id", "type": "integer", "nullable": false},
                {"name": "age", "type": "integer", "nullable": false, "min": 18, "max": 70},
                {"name": "income", "type": "double", "max_missing_share": 0.2},
                {"name": "city", "type": "string", "categories": ["a", "b", "c"]},
                {"name": "label", "type": "string", "distribution": {"yes": 100, "no": 100}}
              ],
              "max_duplicate_share": 0.01
            }
            """);

        var clean = await RunAsync("validate-data", "--data", Write(Rows()), "--against", schema, "--target", "label");
        Assert.True(clean.ExitCode == ExitCodes.Success, clean.Output + clean.Error);

        var rows = Rows();
        rows[0][1] = "17";
        rows[1][3] = "d";
        rows[2][0] = "";
        rows.Where((_, i) => i % 2 == 0).ToList().ForEach(r => r[2] = "");
        rows.Add((string[])rows[3].Clone());
        rows.Add((string[])rows[4].Clone());
        rows.Add((string[])rows[5].Clone());
        var broken = await RunAsync("validate-data", "--data", Write(rows), "--against", schema, "--json");

        Assert.Equal(ExitCodes.DataValidationFailed, broken.ExitCode);
        Assert.Equal(["null_values", "out_of_range", "missing_rate", "unseen_category", "duplicate_rows"], Kinds(broken));
    }

    [Theory]
    [InlineData("""{"columns": []}""", "lists no columns")]
    [InlineData("""{"columns": [{"name": "a", "type": "float"}]}""", "use one of integer")]
    [InlineData("""{"columns": [{"name": "a"}], "max_dupes": 1}""", "max_dupes")]
    [InlineData("""{"columns": [""", "not valid")]
    public async Task BrokenSchemaFile_ExitsInvalidArguments(string json, string message)
    {
        var schema = Path.Combine(_directory.FullName, $"schema-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(schema, json);

        var result = await RunAsync("validate-data", "--data", Write(Rows()), "--against", schema);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains(message, result.Error);
    }

    [Fact]
    public async Task WithRun_TagsTheRun_AndLogsTheReport_AndOutWritesIt()
    {
        var reference = await ReferenceAsync();
        var run = await _client.CreateRunAsync(await _client.CreateExperimentAsync($"validate-{Guid.NewGuid():N}"));
        var rows = Rows(offset: 1);
        rows[0][3] = "z";
        var data = await RunAsync("data", "add", Write(rows, name: "current.csv"), "--name", $"current-{Guid.NewGuid():N}");
        Assert.Equal(ExitCodes.Success, data.ExitCode);
        var current = "data:/" + data.Output.Split(' ', '\n').First(w => w.StartsWith("current-", StringComparison.Ordinal)).TrimEnd('.', ':');
        var report = Path.Combine(_directory.FullName, "report.json");

        var result = await RunAsync("validate-data", "--data", current, "--against", reference, "--run", run.Info.RunId, "--out", report);

        Assert.True(result.ExitCode == ExitCodes.DataValidationFailed, result.Output + result.Error);
        Assert.Contains("unseen_category", result.Output);
        Assert.Contains("'z'", result.Output);
        Assert.Equal("failed", JsonDocument.Parse(await File.ReadAllTextAsync(report)).RootElement.GetProperty("status").GetString());
        var logged = await _client.GetRunAsync(run.Info.RunId);
        Assert.Contains(logged.Data.Tags, t => t.Key == "keel.data_validation" && t.Value == "failed");
        var artifacts = await _client.ListArtifactsAsync(run.Info.RunId, "data_validation");
        Assert.Contains(artifacts.Files, f => f.Path == "data_validation/report.json");
    }
}
