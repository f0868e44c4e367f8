using System.Globalization;
using System.Text.RegularExpressions;
using Keel.Cli.Commands;
using Keel.Client;
using Keel.Testing;

namespace Keel.Cli.Tests;

/// <summary><c>keel pipeline run</c> against a real server: steps as nested runs, the DAG, retries, timeouts and the cache.</summary>
public abstract partial class PipelineRunTests(KeelServerFixture server) : IDisposable
{
    private readonly KeelClient _client = new(server.Http);
    private readonly string _directory = Directory.CreateTempSubdirectory("keel-pipeline-run-").FullName;
    private readonly string _experiment = $"pipeline-{Guid.NewGuid():N}";

    public void Dispose()
    {
        _client.Dispose();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    [GeneratedRegex("Pipeline run ([0-9a-f]{32}) ")]
    private static partial Regex PipelineRunLine();

    private string Spec => Path.Combine(_directory, "keel.yaml");

    private string Scratch(string name) => Path.Combine(_directory, name);

    private async Task<(CliResult Result, string RunId, Dictionary<string, Run> Steps)> RunAsync(string yaml, params string[] args)
    {
        await File.WriteAllTextAsync(Spec, yaml);
        var result = await CliRunner.RunAsync(["pipeline", "run", Spec, "--experiment", _experiment, "--tracking-uri", server.BaseAddress.ToString(), .. args]);
        var match = PipelineRunLine().Match(result.Output);
        Assert.True(match.Success, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        var runId = match.Groups[1].Value;
        var experiment = await _client.GetExperimentByNameAsync(_experiment);
        var steps = await _client.SearchAllRunsAsync(new RunQuery { ExperimentIds = [experiment.ExperimentId], Filter = $"tags.`mlflow.parentRunId` = '{runId}'" })
            .ToDictionaryAsync(r => Tag(r, "keel.step")!);
        return (result, runId, steps);
    }

    private static string? Tag(Run run, string key) => run.Data.Tags.FirstOrDefault(t => t.Key == key)?.Value;

    private static double? MetricValue(Run run, string key) => run.Data.Metrics.FirstOrDefault(m => m.Key == key)?.Value;

    private static long[] Stamps(string file) =>
        [.. File.ReadAllLines(file).Select(line => long.Parse(line, CultureInfo.InvariantCulture))];

    [Fact]
    public async Task Run_IndependentSteps_OverlapUpToTheParallelLimit()
    {
        // Each step writes when it started and ended; with two slots the intervals must overlap, with one they must not.
        var yaml = $"""
            name: parallel
            steps:
              a:
                command: date +%s%N > {Scratch("a")}; sleep 1; date +%s%N >> {Scratch("a")}
              b:
                command: date +%s%N > {Scratch("b")}; sleep 1; date +%s%N >> {Scratch("b")}
            """;

        var (twoSlots, _, _) = await RunAsync(yaml, "--parallel", "2", "--force");
        var (a, b) = (Stamps(Scratch("a")), Stamps(Scratch("b")));
        var (oneSlot, _, _) = await RunAsync(yaml, "--parallel", "1", "--force");
        var (c, d) = (Stamps(Scratch("a")), Stamps(Scratch("b")));

        Assert.Equal(ExitCodes.Success, twoSlots.ExitCode);
        Assert.True(a[0] < b[1] && b[0] < a[1], "two slots: the steps did not overlap");
        Assert.Equal(ExitCodes.Success, oneSlot.ExitCode);
        Assert.True(c[1] <= d[0] || d[1] <= c[0], "one slot: the steps overlapped");
    }

    [Fact]
    public async Task Run_FailingStep_SkipsItsDependantsWithTheReason_AndOthersFinish()
    {
        var (result, runId, steps) = await RunAsync("""
            name: failing
            steps:
              broken:
                command: echo about to fail >&2; exit 3
              train:
                command: echo never
                needs: [broken]
              deploy:
                command: echo never
                needs: [train]
              docs:
                command: echo fine
              missing:
                command: [/nonexistent/tool, --flag]
            """);

        Assert.Equal(ExitCodes.PipelineFailed, result.ExitCode);
        var pipelineRun = await _client.GetRunAsync(runId);
        Assert.Equal(RunStatus.Failed, pipelineRun.Info.Status);
        Assert.Equal(2, MetricValue(pipelineRun, "keel.steps.failed"));
        Assert.Equal(2, MetricValue(pipelineRun, "keel.steps.skipped"));
        Assert.Equal(RunStatus.Failed, steps["broken"].Info.Status);
        Assert.Equal("exited with code 3", Tag(steps["broken"], "keel.step.error"));
        Assert.Equal(3, MetricValue(steps["broken"], "keel.exit_code"));
        Assert.Equal(RunStatus.Killed, steps["train"].Info.Status);
        Assert.Equal("step 'broken' failed", Tag(steps["train"], "keel.step.skipped_because"));
        Assert.Equal("SKIPPED", Tag(steps["train"], "keel.step.status"));
        Assert.Equal("step 'train' was skipped", Tag(steps["deploy"], "keel.step.skipped_because"));
        Assert.Equal(RunStatus.Finished, steps["docs"].Info.Status);
        Assert.Equal("exited with code 127", Tag(steps["missing"], "keel.step.error"));
        var stderr = Scratch("stderr.txt");
        await _client.DownloadArtifactAsync(steps["broken"].Info.RunId, "logs/stderr.txt", stderr);
        Assert.Equal("about to fail\n", await File.ReadAllTextAsync(stderr));
    }

    [Fact]
    public async Task Run_Conditions_SkipOnFalse_AndFailWhenTheyReadAMetricNobodyLogged()
    {
        var (result, _, steps) = await RunAsync("""
            name: conditions
            params:
              mode: fast
            steps:
              measure:
                command: 'curl -s -X POST -H "Content-Type: application/json" -d "{\"run_id\": \"$MLFLOW_RUN_ID\", \"key\": \"f1\", \"value\": 0.7, \"timestamp\": 1}" "$MLFLOW_TRACKING_URI/api/2.0/mlflow/runs/log-metric"'
              register:
                command: echo registering
                when: steps.measure.metrics.f1 > 0.8 or params.mode == 'thorough'
              announce:
                command: echo announcing
                needs: [register]
              typo:
                command: echo never
                when: steps.measure.metrics.f_1 > 0.8
            """);

        Assert.Equal(ExitCodes.PipelineFailed, result.ExitCode);
        Assert.Equal(0.7, MetricValue(steps["measure"], "f1"));
        Assert.Equal("condition 'steps.measure.metrics.f1 > 0.8 or params.mode == 'thorough'' is false", Tag(steps["register"], "keel.step.skipped_because"));
        Assert.Equal("step 'register' was skipped", Tag(steps["announce"], "keel.step.skipped_because"));
        Assert.Equal(RunStatus.Failed, steps["typo"].Info.Status);
        Assert.Contains("steps.measure.metrics.f_1 has no value", Tag(steps["typo"], "keel.step.error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_StepWithRetries_SucceedsOnALaterAttempt_OrFailsAfterTheLast()
    {
        var counter = Scratch("count");
        var (result, _, steps) = await RunAsync($$"""
            name: retries
            steps:
              flaky:
                command: n=$(cat {{counter}} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {{counter}}; [ $n -ge 3 ]
                retries: 2
              hopeless:
                command: exit 1
                retries: 1
            """);

        Assert.Equal(ExitCodes.PipelineFailed, result.ExitCode);
        Assert.Equal(RunStatus.Finished, steps["flaky"].Info.Status);
        Assert.Equal(3, MetricValue(steps["flaky"], "keel.attempts"));
        Assert.Equal(RunStatus.Failed, steps["hopeless"].Info.Status);
        Assert.Equal(2, MetricValue(steps["hopeless"], "keel.attempts"));
    }

    [Fact]
    public async Task Run_StepPastItsTimeout_IsKilledWithItsWholeProcessTree()
    {
        var pidFile = Scratch("sleep.pid");
        var (result, _, steps) = await RunAsync($"""
            name: timeout
            steps:
              slow:
                command: sleep 300 & echo $! > {pidFile}; wait
                timeout: 1s
            """);

        Assert.Equal(ExitCodes.PipelineFailed, result.ExitCode);
        Assert.Equal(RunStatus.Failed, steps["slow"].Info.Status);
        Assert.Equal("true", Tag(steps["slow"], "keel.step.timed_out"));
        Assert.StartsWith("timed out after 1s", Tag(steps["slow"], "keel.step.error"), StringComparison.Ordinal);
        var grandchild = int.Parse(await File.ReadAllTextAsync(pidFile), CultureInfo.InvariantCulture);
        Assert.False(IsAlive(grandchild), $"sleep (pid {grandchild}) outlived its step");
    }

    [Fact]
    public async Task Run_Cancelled_KillsTheRunningStep_AndRecordsBothRunsAsKilled()
    {
        var pidFile = Scratch("sleep.pid");
        await File.WriteAllTextAsync(Spec, $"""
            name: cancelled
            steps:
              slow:
                command: sleep 300 & echo $! > {pidFile}; wait
              later:
                command: echo never
                needs: [slow]
            """);
        using var cancel = new CancellationTokenSource();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var run = KeelCommandLine.InvokeAsync(
            Program.CreateRootCommand(),
            ["pipeline", "run", Spec, "--experiment", _experiment, "--tracking-uri", server.BaseAddress.ToString()],
            new System.CommandLine.InvocationConfiguration { Output = output, Error = error },
            cancel.Token);
        while (!File.Exists(pidFile) || (await File.ReadAllTextAsync(pidFile)).Length == 0)
        {
            Assert.False(run.IsCompleted, $"the pipeline ended before its step started: {output}{error}");
            await Task.Delay(50);
        }

        await cancel.CancelAsync();
        var exitCode = await run;

        Assert.Equal(ExitCodes.Cancelled, exitCode);
        var experiment = await _client.GetExperimentByNameAsync(_experiment);
        var runs = await _client.SearchAllRunsAsync(new RunQuery { ExperimentIds = [experiment.ExperimentId] }).ToListAsync();
        var step = Assert.Single(runs, r => Tag(r, "keel.step") == "slow");
        Assert.Equal(RunStatus.Killed, step.Info.Status);
        Assert.Equal("CANCELLED", Tag(step, "keel.step.status"));
        Assert.Equal(RunStatus.Killed, Assert.Single(runs, r => Tag(r, "keel.step") is null).Info.Status);
        Assert.DoesNotContain(runs, r => Tag(r, "keel.step") == "later");
        var grandchild = int.Parse(await File.ReadAllTextAsync(pidFile), CultureInfo.InvariantCulture);
        Assert.False(IsAlive(grandchild), $"sleep (pid {grandchild}) outlived the cancelled pipeline");
    }

    // A killed process may linger as a zombie until something reaps it; it no longer runs.
    private static bool IsAlive(int pid)
    {
        var status = $"/proc/{pid}/status";
        return File.Exists(status) && !File.ReadAllLines(status).Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_Unchanged_HitsTheCache_AndAnInputByteParamOrCommandChangeMisses()
    {
        await File.WriteAllTextAsync(Scratch("data.txt"), "abc");
        string Yaml(string command) => $$"""
            name: cached
            params:
              factor: "2"
            steps:
              prep:
                command: {{command}}
                inputs: [data.txt]
                outputs: {copy: copy.txt}
              use:
                command: cat "$KEEL_INPUT_COPY" > "$KEEL_OUTPUT_ECHO"
                inputs: [steps.prep.outputs.copy]
                outputs: {echo: echo.txt}
            """;
        var original = Yaml("cat data.txt > \"$KEEL_OUTPUT_COPY\"; echo ${params.factor} >> \"$KEEL_OUTPUT_COPY\"");

        var (_, _, first) = await RunAsync(original);
        var (again, secondRunId, second) = await RunAsync(original);
        await File.WriteAllTextAsync(Scratch("data.txt"), "abd");
        var (_, _, byteChanged) = await RunAsync(original);
        var (_, _, paramChanged) = await RunAsync(original, "-p", "factor=3");
        var (_, _, commandChanged) = await RunAsync(Yaml("cat data.txt > \"$KEEL_OUTPUT_COPY\";  echo ${params.factor} >> \"$KEEL_OUTPUT_COPY\""));
        var (_, _, forced) = await RunAsync(original, "--force");

        Assert.Equal(ExitCodes.Success, again.ExitCode);
        Assert.Equal("FINISHED", Tag(first["prep"], "keel.step.status"));
        Assert.Equal(first["prep"].Info.RunId, Tag(second["prep"], "keel.step.cache_hit"));
        Assert.Equal(first["use"].Info.RunId, Tag(second["use"], "keel.step.cache_hit"));
        Assert.Equal(2, MetricValue(await _client.GetRunAsync(secondRunId), "keel.steps.cached"));
        Assert.Equal(Tag(first["prep"], "keel.step.cache_key"), Tag(second["prep"], "keel.step.cache_key"));
        var reused = Path.Combine(_directory, ".keel", "work", secondRunId, "use", "echo.txt");
        Assert.Equal("abc2\n", await File.ReadAllTextAsync(reused));
        Assert.All([byteChanged, paramChanged, commandChanged, forced], steps =>
        {
            Assert.Null(Tag(steps["prep"], "keel.step.cache_hit"));
            Assert.Equal("FINISHED", Tag(steps["prep"], "keel.step.status"));
        });
        Assert.Equal(RunStatus.Finished, forced["use"].Info.Status);
        Assert.Null(Tag(forced["use"], "keel.step.cache_hit"));
    }

    [Fact]
    public async Task Run_DatasetInput_IsFetchedForTheStep_LinkedToItsRun_AndItsVersionIsPartOfTheCacheKey()
    {
        var dataset = $"pipeline-data-{Guid.NewGuid():N}";
        var tree = Directory.CreateDirectory(Scratch("tree")).FullName;
        await File.WriteAllTextAsync(Path.Combine(tree, "rows.csv"), "x\n1\n");
        await _client.Data.AddAsync(tree, dataset);
        await File.WriteAllTextAsync(Path.Combine(tree, "rows.csv"), "x\n2\n");
        await _client.Data.AddAsync(tree, dataset);
        var yaml = $$"""
            name: data
            params:
              version: "1"
            steps:
              read:
                command: cat "${inputs.rows}/rows.csv" > "$KEEL_OUTPUT_COPY"
                inputs:
                  rows: data:/{{dataset}}@${params.version}
                outputs: {copy: copy.csv}
            """;

        var (first, firstRunId, v1) = await RunAsync(yaml);
        var (_, _, again) = await RunAsync(yaml);
        var (_, secondRunId, v2) = await RunAsync(yaml, "-p", "version=2");

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Equal("x\n1\n", await File.ReadAllTextAsync(Path.Combine(_directory, ".keel", "work", firstRunId, "read", "copy.csv")));
        Assert.Contains(v1["read"].Inputs.DatasetInputs, d => d.Dataset.Name == dataset);
        Assert.Equal(v1["read"].Info.RunId, Tag(again["read"], "keel.step.cache_hit"));
        Assert.Null(Tag(v2["read"], "keel.step.cache_hit"));
        Assert.Equal("x\n2\n", await File.ReadAllTextAsync(Path.Combine(_directory, ".keel", "work", secondRunId, "read", "copy.csv")));
    }

    [Fact]
    public async Task Run_StepInDebianPython_LogsMetricsOverTheRestProtocolIntoItsStepRun()
    {
        await File.WriteAllTextAsync(Scratch("step.py"), """
            import json, os, time, urllib.request

            def post(path, body):
                request = urllib.request.Request(
                    os.environ["MLFLOW_TRACKING_URI"] + "/api/2.0/mlflow/" + path,
                    data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST")
                urllib.request.urlopen(request).read()

            run_id = os.environ["MLFLOW_RUN_ID"]
            now = int(time.time() * 1000)
            post("runs/log-metric", {"run_id": run_id, "key": "f1", "value": 0.875, "timestamp": now, "step": 0})
            post("runs/log-batch", {"run_id": run_id, "metrics": [{"key": "loss", "value": v, "timestamp": now, "step": i} for i, v in enumerate([0.9, 0.5, 0.25])]})
            post("runs/set-tag", {"run_id": run_id, "key": "seen_step", "value": os.environ["KEEL_STEP_NAME"]})
            """);

        var (result, _, steps) = await RunAsync("""
            name: python
            steps:
              train:
                command: [/usr/bin/python3, step.py]
              gate:
                command: echo passed
                when: steps.train.metrics.f1 >= 0.875
            """);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var train = steps["train"];
        Assert.Equal(0.875, MetricValue(train, "f1"));
        Assert.Equal([0.9, 0.5, 0.25], (await _client.GetMetricHistoryAsync(train.Info.RunId, "loss")).OrderBy(m => m.Step).Select(m => m.Value));
        Assert.Equal("train", Tag(train, "seen_step"));
        Assert.Equal("FINISHED", Tag(steps["gate"], "keel.step.status"));
    }

    [Fact]
    public async Task Run_ExamplePipeline_PythonStepLogsAMetricIntoItsOwnStepRun()
    {
        var example = Path.Combine(RepositoryRoot(), "examples", "pipelines", "hello");
        foreach (var file in Directory.EnumerateFiles(example).Where(f => !f.Contains(".keel", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(_directory, Path.GetFileName(file)));
        }

        var (result, runId, steps) = await RunAsync(await File.ReadAllTextAsync(Path.Combine(example, "keel.yaml")));

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var train = steps["train"];
        Assert.Equal(runId, Tag(train, "mlflow.parentRunId"));
        Assert.True(MetricValue(train, "score") > 0.5, "train.py did not log its score over the REST protocol");
        Assert.Equal(RunStatus.Finished, steps["report"].Info.Status);
        var artifacts = (await _client.ListArtifactsAsync(train.Info.RunId)).Files.Select(f => f.Path).ToList();
        Assert.Contains("environment.json", artifacts);
        Assert.Contains("logs", artifacts);
        Assert.Contains("outputs", artifacts);
        var environment = Scratch("environment.json");
        await _client.DownloadArtifactAsync(train.Info.RunId, "environment.json", environment);
        Assert.Contains("\"python\"", await File.ReadAllTextAsync(environment), StringComparison.Ordinal);
        Assert.Contains("hello-pipeline", Tag(await _client.GetRunAsync(runId), "keel.pipeline"), StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Keel.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Keel.slnx not found above " + AppContext.BaseDirectory);
    }
}

public sealed class PipelineRunTestsOnSqlite(KeelServerFixture server) : PipelineRunTests(server), IClassFixture<KeelServerFixture>;

public sealed class PipelineRunTestsOnPostgres(PostgresKeelServerFixture server) : PipelineRunTests(server), IClassFixture<PostgresKeelServerFixture>;
