using Keel.Core.Models;
using Keel.Testing;

namespace Keel.Core.Tests.Models;

/// <summary>Keel's MLmodel text against the real PyYAML, which is what MLflow reads and writes it with.</summary>
public sealed class PyYamlCompatibilityTests
{
    // safe_dump as MLflow calls it; width=80 is PyYAML's default, which folds long signature strings.
    private const string Redump = """
        import sys, yaml
        text = open(sys.argv[1]).read()
        width = int(sys.argv[2])
        sys.stdout.write(yaml.safe_dump(yaml.safe_load(text), default_flow_style=False, width=width))
        """;

    [Theory]
    [InlineData("sklearn")]
    [InlineData("onnx")]
    public async Task Fixture_IsExactlyWhatPyYamlWrites(string package)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Models", "Fixtures", package, "MLmodel");

        var redumped = await DebianPython.RunAsync(Redump, path, "80");

        Assert.Equal(await File.ReadAllTextAsync(path), redumped);
    }

    [Theory]
    [InlineData("sklearn")]
    [InlineData("onnx")]
    [InlineData("crate")]
    public async Task ToYaml_IsExactlyWhatPyYamlWrites(string package)
    {
        var model = MLmodel.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Models", "Fixtures", package, "MLmodel")));
        var written = Path.GetTempFileName();
        await File.WriteAllTextAsync(written, model.ToYaml());
        try
        {
            var redumped = await DebianPython.RunAsync(Redump, written, "80");

            Assert.Equal(model.ToYaml(), redumped);
        }
        finally
        {
            File.Delete(written);
        }
    }
}
