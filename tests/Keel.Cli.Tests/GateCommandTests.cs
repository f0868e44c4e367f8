using Keel.Cli.Commands;
using Keel.Client;
using Keel.Testing;

namespace Keel.Cli.Tests;

/// <summary><c>keel gate check</c> against a real Keel server, with evaluation runs logged through the .NET client.</summary>
public sealed class GateCommandTests(KeelServerFixture server) : IClassFixture<KeelServerFixture>, IDisposable
{
    private readonly KeelClient _client = new(server.Http);
    private readonly string _trackingUri = server.BaseAddress.ToString();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("keel-gate-");

    public void Dispose() => _directory.Delete(recursive: true);

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "--tracking-uri", _trackingUri]);

    [Fact]
    public async Task Check_AllConditionsHold_ExitsZero_AndPrintsEachWithItsValue()
    {
        var run = await RunWithAsync(new() { ["f1"] = 0.9, ["baseline.f1"] = 0.905, ["slice_gap.region.recall"] = 0.04, ["slice_gap.age.recall"] = 0.08 },
            ("keel.data_validation", "passed"));
        var gate = await GateFileAsync("name: release\nconditions:\n  - f1 >= 0.8\n  - f1 >= baseline.f1 - 0.01\n  - max_slice_gap(recall) <= 0.1\n  - data_validation == passed\n");

        var result = await RunAsync("gate", "check", "--run", run, "--gate", gate);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output + result.Error);
        Assert.Contains("PASS  line 3   f1 >= 0.8", result.Output);
        Assert.Contains("actual 0.08", result.Output);
        Assert.Contains("PASSED", result.Output);
        Assert.Equal(4, result.Output.Split('\n').Count(l => l.StartsWith("PASS", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(0.845, true)]
    [InlineData(0.835, false)]
    public async Task Check_BaselineArithmetic_ComparesWithBaselineMinusTolerance(double f1, bool passes)
    {
        var run = await RunWithAsync(new() { ["f1"] = f1, ["baseline.f1"] = 0.85 });
        var gate = await GateFileAsync("name: challenger\nconditions:\n  - f1 >= baseline.f1 - 0.01\n");

        var result = await RunAsync("gate", "check", "--run", run, "--gate", gate);

        Assert.Equal(passes ? ExitCodes.Success : ExitCodes.GateFailed, result.ExitCode);
        Assert.Contains(passes ? "PASS" : $"FAIL  line 3   f1 >= baseline.f1 - 0.01  actual {f1}, needs >= 0.84", result.Output);
    }

    [Fact]
    public async Task Check_FailingAndMissing_ExitsGateFailed_NamingEachFailingCondition()
    {
        var run = await RunWithAsync(new() { ["f1"] = 0.9, ["slice_gap.region.recall"] = 0.2 }, ("keel.data_validation", "failed"));
        var gate = await GateFileAsync("""
            name: release
            conditions:
              - f1 >= 0.8
              - max_slice_gap(recall) <= 0.1 and roc_auc >= 0.7
              - data_validation == passed
            """);

        var result = await RunAsync("gate", "check", "--run", run, "--gate", gate);

        Assert.Equal(ExitCodes.GateFailed, result.ExitCode);
        Assert.Contains("FAIL  line 4   roc_auc >= 0.7", result.Output);
        Assert.Contains("metric roc_auc not logged", result.Output);
        Assert.Contains("Gate 'release' failed 3 of 4 conditions: max_slice_gap(recall) <= 0.1; roc_auc >= 0.7; data_validation == passed.", result.Error);
        Assert.DoesNotContain("f1 >= 0.8", result.Error);
    }

    [Theory]
    [InlineData("name: g\nconditons:\n  - f1 >= 0.8\n", 2, "unknown key 'conditons'")]
    [InlineData("name: g\nconditions:\n  - f1 >= 0.8\n  - f1 >=\n", 4, "ends where a value was expected")]
    [InlineData("name: g\nconditions:\n\n  - f1 == passed\n", 4, "compares text with a number")]
    [InlineData("# a gate\n  - f1 >= 0.8\n", 2, "outside 'conditions:'")]
    [InlineData("name: g\nconditions:\n  - f1 0.8\n", 3, "expected a comparison")]
    [InlineData("name: g\nconditions:\n  - data_validation >= passed\n", 3, "only with == or !=")]
    [InlineData("name: my gate\nconditions:\n  - f1 >= 0.8\n", 1, "must be letters, digits")]
    [InlineData("name: g\nconditions:\n  - nope(f1) >= 0.8\n", 3, "unknown function nope()")]
    public async Task Check_WithBrokenGateFile_ExitsInvalidArguments_NamingTheLine(string text, int line, string message)
    {
        var run = await RunWithAsync(new() { ["f1"] = 0.9 });
        var gate = await GateFileAsync(text);

        var result = await RunAsync("gate", "check", "--run", run, "--gate", gate);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains($"line {line}: ", result.Error);
        Assert.Contains(message, result.Error);
    }

    [Fact]
    public async Task Check_WithJson_ListsEveryConditionWithLineAndValues()
    {
        var run = await RunWithAsync(new() { ["f1"] = 0.75 });
        var gate = await GateFileAsync("name: release\nconditions:\n  - f1 >= 0.8\n  - f1 <= 1\n");

        var result = await RunAsync("gate", "check", "--run", run, "--gate", gate, "--json");

        Assert.Equal(ExitCodes.GateFailed, result.ExitCode);
        var json = System.Text.Json.JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal("failed", json.GetProperty("status").GetString());
        var conditions = json.GetProperty("conditions").EnumerateArray().ToList();
        Assert.Equal([(3, false, "0.75"), (4, true, "0.75")], conditions.Select(c => (c.GetProperty("line").GetInt32(), c.GetProperty("passed").GetBoolean(), c.GetProperty("actual").GetString())));
    }

    [Fact]
    public async Task Check_UnknownRunOrVersion_FailsWithoutRecording()
    {
        var gate = await GateFileAsync("name: release\nconditions:\n  - f1 >= 0.8\n");
        var run = await RunWithAsync(new() { ["f1"] = 0.9 });

        Assert.Equal(ExitCodes.NotFound, (await RunAsync("gate", "check", "--run", "0123456789abcdef0123456789abcdef", "--gate", gate)).ExitCode);
        Assert.Equal(ExitCodes.NotFound, (await RunAsync("gate", "check", "--run", run, "--gate", gate, "--record-on", $"models:/missing-{Guid.NewGuid():N}/1")).ExitCode);
        Assert.Equal(ExitCodes.InvalidArguments, (await RunAsync("gate", "check", "--run", run, "--gate", gate, "--record-on", "models:/")).ExitCode);
        Assert.Equal(ExitCodes.InvalidArguments, (await RunAsync("gate", "check", "--run", run, "--gate", Path.Combine(_directory.FullName, "absent.yaml"))).ExitCode);
    }

    [Fact]
    public async Task Promotion_OfProtectedAlias_IsRefusedUntilGateCheckRecordsAPass()
    {
        var name = $"gated-{Guid.NewGuid():N}";
        await _client.CreateRegisteredModelAsync(name);
        await _client.SetRegisteredModelTagAsync(name, "keel.require_gate.champion", "release");
        await _client.CreateModelVersionAsync(name, "s3://bucket/model");
        var gate = await GateFileAsync("name: release\nconditions:\n  - f1 >= 0.8\n");
        var weak = await RunWithAsync(new() { ["f1"] = 0.6 });
        var strong = await RunWithAsync(new() { ["f1"] = 0.85 });

        var refused = await Assert.ThrowsAsync<KeelApiException>(() => _client.SetModelAliasAsync(name, "champion", 1));
        Assert.Equal(KeelErrorCodes.InvalidState, refused.ErrorCode);

        var failed = await RunAsync("gate", "check", "--run", weak, "--gate", gate, "--record-on", $"models:/{name}/1");
        Assert.Equal(ExitCodes.GateFailed, failed.ExitCode);
        Assert.Contains($"Recorded keel.gate.release = failed on {name}/1", failed.Output);
        await Assert.ThrowsAsync<KeelApiException>(() => _client.SetModelAliasAsync(name, "champion", 1));

        var passed = await RunAsync("gate", "check", "--run", strong, "--gate", gate, "--record-on", $"{name}/1");
        Assert.True(passed.ExitCode == ExitCodes.Success, passed.Output + passed.Error);
        await _client.SetModelAliasAsync(name, "champion", 1);

        var version = await _client.GetModelVersionByAliasAsync(name, "champion");
        Assert.Equal(1, version.Version);
        Assert.Contains(version.Tags, t => t.Key == "keel.gate.release.run_id" && t.Value == strong);
        Assert.Contains(version.Tags, t => t.Key == "keel.gate.release.digest" && t.Value.StartsWith("sha256:", StringComparison.Ordinal));
    }

    private async Task<string> GateFileAsync(string text)
    {
        var path = Path.Combine(_directory.FullName, $"gate-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    private async Task<string> RunWithAsync(Dictionary<string, double> metrics, params (string Key, string Value)[] tags)
    {
        var experimentId = await _client.CreateExperimentAsync($"gate-{Guid.NewGuid():N}");
        var run = await _client.CreateRunAsync(experimentId);
        await _client.LogBatchAsync(run.Info.RunId, metrics.Select(m => new Metric(m.Key, m.Value, 1700000000000)).ToList(), [], tags.Select(t => new Tag(t.Key, t.Value)).ToList());
        return run.Info.RunId;
    }
}
