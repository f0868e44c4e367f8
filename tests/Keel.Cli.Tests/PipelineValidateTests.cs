using Keel.Cli.Commands;

namespace Keel.Cli.Tests;

/// <summary><c>keel pipeline validate</c>: every error in a spec, with its line, before anything runs.</summary>
public sealed class PipelineValidateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("keel-pipeline-validate-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<CliResult> ValidateAsync(string yaml)
    {
        var file = Path.Combine(_directory, "keel.yaml");
        await File.WriteAllTextAsync(file, yaml);
        return await CliRunner.RunAsync("pipeline", "validate", file);
    }

    [Fact]
    public async Task Validate_WithAValidSpec_PrintsTheStepsAndTheirNeeds()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "data.csv"), "a,b\n1,2\n");

        var result = await ValidateAsync("""
            name: ok
            params:
              lr: "0.1"
            steps:
              prep:
                command: cp data.csv "$KEEL_OUTPUT_TABLE"
                inputs: [data.csv]
                outputs: {table: table.csv}
              train:
                command: [python3, train.py, --lr, "${params.lr}"]
                inputs: {table: steps.prep.outputs.table}
                timeout: 10m
                retries: 2
              report:
                command: echo ok
                when: steps.train.metrics.f1 > 0.8 and not params.lr == '1'
            """);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("train <- prep", result.Output, StringComparison.Ordinal);
        Assert.Contains("report <- train", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_WithACycle_NamesTheCycleAtItsLine()
    {
        var result = await ValidateAsync("""
            name: cyclic
            steps:
              a:
                command: echo a
                needs: [c]
              b:
                command: echo b
                needs: [a]
              c:
                command: echo c
                needs: [b]
              d:
                command: echo d
            """);

        Assert.Equal(ExitCodes.InvalidPipeline, result.ExitCode);
        Assert.Contains(":3:1: the steps form a cycle: a -> b -> c -> a", result.Error, StringComparison.Ordinal);
        Assert.Contains("1 error(s)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_WithEveryKindOfMistake_ListsEachWithItsLine()
    {
        var result = await ValidateAsync("""
            name: broken
            steps:
              train:
                comand: python3 train.py
              eval:
                command: echo eval
                needs: [trian]
                inputs:
                  model: steps.train.outputs.model
              export:
                command: echo ${params.missing}
                outputs:
                  a: out/model.bin
                  b: out/model.bin
                timeout: forever
                when: steps.eval.metrics.f1 > champion.f1
            extra: 1
            """);

        Assert.Equal(ExitCodes.InvalidPipeline, result.ExitCode);
        var errors = result.Error;
        Assert.Contains(":3:3: step 'train' has no command", errors, StringComparison.Ordinal);
        Assert.Contains(":4:5: unknown key 'comand' in step 'train'", errors, StringComparison.Ordinal);
        Assert.Contains(":7:13: step 'eval' needs 'trian', which is not a step", errors, StringComparison.Ordinal);
        Assert.Contains(":9:1: step 'eval': input 'steps.train.outputs.model': step 'train' has no output 'model' (it declares none)", errors, StringComparison.Ordinal);
        Assert.Contains(":11:14: step 'export' refers to ${params.missing}, which is not declared", errors, StringComparison.Ordinal);
        Assert.Contains(":13:7: step 'export': outputs 'a', 'b' are the same path 'out/model.bin'", errors, StringComparison.Ordinal);
        Assert.Contains(":15:14: step 'export': timeout must be a positive duration", errors, StringComparison.Ordinal);
        Assert.Contains(":16:11: step 'export': invalid condition at character 36: 'champion.f1': champion comparisons are not supported yet", errors, StringComparison.Ordinal);
        Assert.Contains(":17:1: unknown key 'extra' in the spec", errors, StringComparison.Ordinal);
        Assert.Contains("9 error(s)", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_WithAMissingInputFileOrBrokenYaml_FailsWithTheLine()
    {
        var missing = await ValidateAsync("""
            name: files
            steps:
              a:
                command: echo a
                inputs: [nowhere.csv]
            """);
        var broken = await ValidateAsync("""
            name: yaml
            steps:
              a:
                command: [echo
            """);

        Assert.Equal(ExitCodes.InvalidPipeline, missing.ExitCode);
        Assert.Contains(":5:1: step 'a': input 'nowhere' (nowhere.csv) matches no file", missing.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidPipeline, broken.ExitCode);
        Assert.Matches(@"keel\.yaml:\d+:\d+: ", broken.Error);
    }

    [Fact]
    public async Task Validate_WithAStepDeclaredTwice_NamesTheDuplicateKey()
    {
        var result = await ValidateAsync("""
            name: twice
            steps:
              a:
                command: echo one
              a:
                command: echo two
            """);

        Assert.Equal(ExitCodes.InvalidPipeline, result.ExitCode);
        Assert.Contains(":5:3: 'a' is declared twice in the same mapping", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_WithoutASpecFile_FailsWithInvalidArguments()
    {
        var result = await CliRunner.RunAsync("pipeline", "validate", Path.Combine(_directory, "none.yaml"));

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains("There is no pipeline spec", result.Error, StringComparison.Ordinal);
    }
}
