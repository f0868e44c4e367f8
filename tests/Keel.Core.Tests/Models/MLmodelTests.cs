using Keel.Core.Models;

namespace Keel.Core.Tests.Models;

public sealed class MLmodelTests
{
    private static string Fixture(string package) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Models", "Fixtures", package, "MLmodel"));

    [Fact]
    public void Parse_SklearnPackageFromPython_ReadsFieldsFlavorsAndFoldedColumnSignature()
    {
        var model = MLmodel.Parse(Fixture("sklearn"));

        Assert.Equal("model", model.ArtifactPath);
        Assert.Equal("8ede7df408dd42ed9fc39019ef7df309", model.RunId);
        Assert.Equal("2024-01-12 05:17:31.634689", model.UtcTimeCreated);
        Assert.Equal("3c5a4b0d1f9e4f4c8a6f2b9d7e1c0a55", model.ModelUuid);
        Assert.Equal("2.17.2", model.MlflowVersion);
        Assert.Equal(1043, model.ModelSizeBytes);
        Assert.Equal(["python_function", "sklearn"], model.Flavors.Keys);
        Assert.Equal("mlflow.sklearn", model.Flavor("python_function")!["loader_module"]);
        Assert.Equal("3.10.12", model.Flavor("python_function")!["python_version"]);
        Assert.Null(model.Flavor("sklearn")!["code"]);

        var signature = model.ReadSignature()!;
        Assert.Equal(
            [
                new ColumnSpec("sepal length (cm)", "double"), new ColumnSpec("sepal width (cm)", "double"),
                new ColumnSpec("petal length (cm)", "double"), new ColumnSpec("petal width (cm)", "double"),
            ],
            signature.Inputs.Specs);
        Assert.Equal([new ColumnSpec(null, "long")], signature.Outputs!.Specs);
        Assert.Equal(new InputExampleInfo("input_example.json", "dataframe", PandasOrient: "split", ServingInputPath: "serving_input_example.json"),
            model.SavedInputExampleInfo);
    }

    [Fact]
    public void ToYaml_OnnxPackageFromPython_WritesTheSameTextBack()
    {
        var text = Fixture("onnx");

        var model = MLmodel.Parse(text);

        Assert.Equal(text, model.ToYaml());
        var input = Assert.IsType<TensorSpec>(Assert.Single(model.ReadSignature()!.Inputs.Specs));
        Assert.Equal(new TensorSpec("input", "float32", [-1, 4]), input);
        Assert.Equal(new List<object?> { "CUDAExecutionProvider", "CPUExecutionProvider" }, model.Flavor("onnx")!["providers"]);
    }

    [Theory]
    [InlineData("sklearn")]
    [InlineData("onnx")]
    [InlineData("crate")]
    public void ToYaml_ThenParse_KeepsEveryFieldIncludingUnknownFlavors(string package)
    {
        var original = MLmodel.Parse(Fixture(package));

        var reread = MLmodel.Parse(original.ToYaml());

        Assert.Equal(Canonical(original.Fields), Canonical(reread.Fields));
        Assert.Equal(original.ReadSignature(), reread.ReadSignature());
    }

    [Fact]
    public void Parse_RPackageWithCrateFlavor_KeepsItsSettingsAndNumbers()
    {
        var model = MLmodel.Parse(Fixture("crate"));

        Assert.Equal(new Dictionary<string, object?> { ["version"] = "0.1.0", ["model"] = "crate.bin" }, model.Flavor("crate")!);
        Assert.Equal(1.7060784e+09, model.Fields["time_created"]);
        Assert.False(model.HasSignature);
        Assert.Contains("crate:\n    model: crate.bin\n    version: 0.1.0\n", model.ToYaml(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToYaml_StringsThatWouldReadBackAsOtherTypes_AreQuoted()
    {
        var model = new MLmodel { RunId = "0123", ModelUuid = "true", ArtifactPath = "model: v2", MlflowVersion = "3.10" };
        model.AddFlavor("custom", new OrderedDictionary<string, object?> { ["n"] = 3L, ["ratio"] = 1e-5, ["empty"] = "", ["list"] = new List<object?>() });

        var yaml = model.ToYaml();
        var reread = MLmodel.Parse(yaml);

        Assert.Equal("0123", reread.RunId);
        Assert.Equal("true", reread.ModelUuid);
        Assert.Equal("model: v2", reread.ArtifactPath);
        Assert.Equal("3.10", reread.MlflowVersion);
        Assert.Equal(3L, reread.Flavor("custom")!["n"]);
        Assert.Equal(1e-5, reread.Flavor("custom")!["ratio"]);
        Assert.Equal("", reread.Flavor("custom")!["empty"]);
        Assert.Contains("ratio: 1.0e-05", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("flavors: [a, b]\n", "flavors")]
    [InlineData("artifact_path: model\n", "flavors")]
    [InlineData("- just\n- a list\n", "mapping")]
    [InlineData("flavors:\n  onnx: {data: model.onnx\n", "YAML")]
    [InlineData("flavors:\n  onnx: model.onnx\n", "onnx")]
    public void Parse_NotAnMLmodel_ThrowsFormatExceptionNamingTheProblem(string yaml, string expected)
    {
        var error = Assert.Throws<FormatException>(() => MLmodel.Parse(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHistoryEntry_HasTheFieldsMlflowPutsInTheLogModelHistoryTag()
    {
        var entry = MLmodel.Parse(Fixture("sklearn")).ToHistoryEntry();

        Assert.Equal(["artifact_path", "run_id", "utc_time_created", "model_uuid", "flavors"], entry.Keys);
    }

    private static string Canonical(object? value) => value switch
    {
        IEnumerable<KeyValuePair<string, object?>> map => "{" + string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + Canonical(p.Value))) + "}",
        IList<object?> list => "[" + string.Join(",", list.Select(Canonical)) + "]",
        null => "null",
        _ => value.GetType().Name + ":" + Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}
