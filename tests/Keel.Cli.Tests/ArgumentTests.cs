using Keel.Cli.Commands;

namespace Keel.Cli.Tests;

public class ArgumentTests
{
    [Fact]
    public async Task RunsList_WithoutExperiment_ReturnsInvalidArguments()
    {
        var result = await CliRunner.RunAsync("runs", "list");

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains("--experiment", result.Error, StringComparison.Ordinal);
        Assert.Contains("keel runs list --help", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task ExperimentsList_WithUnknownView_ReturnsInvalidArguments()
    {
        var result = await CliRunner.RunAsync("experiments", "list", "--view", "archived");

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains("archived", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("many")]
    public async Task RunsList_WithBadMax_ReturnsInvalidArguments(string max)
    {
        var result = await CliRunner.RunAsync("runs", "list", "--experiment", "x", "--max", max);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
    }

    [Fact]
    public async Task RunsShow_WithoutRunId_ReturnsInvalidArguments()
    {
        var result = await CliRunner.RunAsync("runs", "show");

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains("Required argument missing", result.Error, StringComparison.Ordinal);
        Assert.Contains("keel runs show --help", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("runs")]
    [InlineData("runs", "list", "--experiment", "x", "--unknown")]
    public async Task UnknownOrIncompleteCommand_ReturnsInvalidArguments(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.StartsWith("Error: ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://tracking:5000")]
    [InlineData("not a url")]
    public async Task TrackingUri_ThatIsNotHttp_ReturnsInvalidArguments(string trackingUri)
    {
        var result = await CliRunner.RunAsync("runs", "show", "abc", "--tracking-uri", trackingUri);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains(trackingUri, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("runs", "list", "--help")]
    public async Task Help_ReturnsSuccessAndDescribesTrackingUri(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("--tracking-uri", result.Output, StringComparison.Ordinal);
    }
}
