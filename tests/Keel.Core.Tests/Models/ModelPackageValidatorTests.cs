using Keel.Core.Artifacts;
using Keel.Core.Models;
using Keel.Core.Storage;
using Microsoft.Extensions.Options;

namespace Keel.Core.Tests.Models;

/// <summary>Packages laid out in a real local artifact store, checked as registration will check them.</summary>
public sealed class ModelPackageValidatorTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("keel-packages-").FullName;
    private readonly LocalArtifactStore _store;

    public ModelPackageValidatorTests() => _store = new LocalArtifactStore(Options.Create(new StorageOptions { DataDirectory = _data }));

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private async Task<ModelPackageReport> ValidateFixtureAsync(string fixture, Action<string>? change = null)
    {
        var package = Path.Combine(_data, "artifacts", "1", "run", "artifacts", "model");
        Directory.CreateDirectory(package);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Models", "Fixtures", fixture)))
        {
            File.Copy(file, Path.Combine(package, Path.GetFileName(file)));
        }

        change?.Invoke(package);
        return await ModelPackageValidator.ValidateAsync(new ModelPackageReader(_store, "1/run/artifacts/model"), CancellationToken.None);
    }

    private static void Edit(string package, string file, string from, string to)
    {
        var path = Path.Combine(package, file);
        var text = File.ReadAllText(path);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_SklearnPackageWithExample_IsValidWithoutWarnings()
    {
        var report = await ValidateFixtureAsync("sklearn");

        Assert.Empty(report.Errors);
        Assert.Empty(report.Warnings);
        Assert.Equal(4, report.Signature!.Inputs.Specs.Count);
    }

    [Fact]
    public async Task Validate_PackageWithoutSignature_IsValidWithAWarning()
    {
        var report = await ValidateFixtureAsync("crate");

        Assert.True(report.IsValid, string.Join("; ", report.Errors));
        Assert.Contains(report.Warnings, w => w.Contains("no signature", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.Contains("no python_function flavor", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_WithoutMLmodel_IsAnError()
    {
        var report = await ValidateFixtureAsync("sklearn", p => File.Delete(Path.Combine(p, "MLmodel")));

        Assert.Contains("No MLmodel file", Assert.Single(report.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_FlavorDataFileMissing_IsAnError()
    {
        var report = await ValidateFixtureAsync("sklearn", p => File.Delete(Path.Combine(p, "model.pkl")));

        Assert.Contains(report.Errors, e => e.Contains("'sklearn' names 'model.pkl'", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Contains("'python_function' names 'model.pkl'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_FlavorDataPathEscapingThePackage_IsAnError()
    {
        var report = await ValidateFixtureAsync("sklearn", p => Edit(p, "MLmodel", "pickled_model: model.pkl", "pickled_model: ../../model.pkl"));

        Assert.Contains(report.Errors, e => e.Contains("not a path inside the package", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_SignatureWithUnknownType_IsAnError()
    {
        var report = await ValidateFixtureAsync("sklearn", p => Edit(p, "MLmodel", "outputs: '[{\"type\": \"long\"", "outputs: '[{\"type\": \"int64\""));

        Assert.Contains("unknown type 'int64'", Assert.Single(report.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ExampleMissingARequiredColumn_IsAnError()
    {
        var report = await ValidateFixtureAsync("sklearn", p => File.WriteAllText(Path.Combine(p, "input_example.json"),
            """{"columns": ["sepal length (cm)", "sepal width (cm)", "petal length (cm)"], "data": [[5.1, 3.5, 1.4]]}"""));

        Assert.Contains("no column 'petal width (cm)'", Assert.Single(report.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ExampleWithAValueOfTheWrongType_IsAnError()
    {
        var report = await ValidateFixtureAsync("sklearn", p => Edit(p, "input_example.json", "[6.2, 2.9", "[\"6.2\", 2.9"));

        Assert.Contains("row 1 column 'sepal length (cm)' is string \"6.2\", not double", Assert.Single(report.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_TensorExampleOfTheWrongShape_IsAnError()
    {
        var report = await ValidateFixtureAsync("onnx", p => File.WriteAllText(Path.Combine(p, "input_example.json"), """{"inputs": {"input": [[5.1, 3.5, 1.4]]}}"""));

        Assert.Contains(report.Errors, e => e.Contains("shape [1, 3], which does not fit the signature's [-1, 4]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_TensorExampleMatchingButOnnxFileNotAModel_ReportsOnlyTheOnnxFile()
    {
        var report = await ValidateFixtureAsync("onnx");

        Assert.Contains("Not an ONNX model", Assert.Single(report.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ExampleFileMissing_IsAnError()
    {
        var report = await ValidateFixtureAsync("sklearn", p => File.Delete(Path.Combine(p, "input_example.json")));

        Assert.Contains("names 'input_example.json', but the package has no such file", Assert.Single(report.Errors), StringComparison.Ordinal);
    }
}
