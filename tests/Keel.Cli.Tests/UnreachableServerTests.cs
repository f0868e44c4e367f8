using Keel.Cli.Commands;
using Keel.Testing;

namespace Keel.Cli.Tests;

public class UnreachableServerTests
{
    [Theory]
    [InlineData("experiments", "list")]
    [InlineData("runs", "list", "--experiment", "churn")]
    [InlineData("runs", "show", "0123456789abcdef")]
    public async Task Command_WithClosedPort_ReturnsUnreachableAndNamesTheUri(params string[] args)
    {
        var trackingUri = LoopbackServer.ClosedPortUri();

        var result = await CliRunner.RunAsync([.. args, "--tracking-uri", trackingUri]);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.Contains(trackingUri, result.Error, StringComparison.Ordinal);
        Assert.Contains("--tracking-uri", result.Error, StringComparison.Ordinal);
        Assert.Contains("MLFLOW_TRACKING_URI", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Command_WithoutTrackingUri_UsesEnvironmentVariable()
    {
        var trackingUri = LoopbackServer.ClosedPortUri();
        var previous = Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI");
        Environment.SetEnvironmentVariable("MLFLOW_TRACKING_URI", trackingUri);
        try
        {
            var result = await CliRunner.RunAsync("experiments", "list");

            Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
            Assert.Contains(trackingUri, result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MLFLOW_TRACKING_URI", previous);
        }
    }
}
