using System.CommandLine;
using Keel.Cli.Commands;

namespace Keel.Cli.Tests;

public class BenchCommandTests
{
    [Fact]
    public void FindRepositoryRoot_FromNestedFolder_ReturnsFolderWithSolution()
    {
        var root = Directory.CreateTempSubdirectory("keel-bench-root-");
        try
        {
            File.WriteAllText(Path.Combine(root.FullName, BenchCommand.SolutionFile), "<Solution />");
            var nested = Directory.CreateDirectory(Path.Combine(root.FullName, "src", "deep"));

            Assert.Equal(root.FullName, BenchCommand.FindRepositoryRoot(nested.FullName));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Bench_OutsideRepository_ReturnsNotInRepository()
    {
        var outside = Directory.CreateTempSubdirectory("keel-bench-outside-");
        try
        {
            var root = new RootCommand { new BenchCommand(() => outside.FullName) };
            using var output = new StringWriter();
            using var error = new StringWriter();

            var exitCode = await KeelCommandLine.InvokeAsync(
                root, ["bench", "tracking", "--quick"], new InvocationConfiguration { Output = output, Error = error });

            Assert.Equal(ExitCodes.NotInRepository, exitCode);
            Assert.Contains("Keel.slnx", error.ToString(), StringComparison.Ordinal);
            Assert.Empty(output.ToString());
        }
        finally
        {
            outside.Delete(recursive: true);
        }
    }
}
