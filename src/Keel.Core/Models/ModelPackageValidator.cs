namespace Keel.Core.Models;

/// <summary>What checking a package found: errors make it unfit to register; warnings do not.</summary>
internal sealed record ModelPackageReport(MLmodel? Model, ModelSignature? Signature, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    /// <summary>True when MLmodel has no signature and <see cref="Signature"/> was read off the ONNX graph instead.</summary>
    public bool SignatureInferred { get; init; }

    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Checks a model package before it becomes a registered version: MLmodel is there and parses, each
/// flavor Keel knows finds its data file, the signature is well-formed, the input example fits the
/// signature, and an ONNX model loads in ONNX Runtime. A package without a signature passes with a
/// warning, as MLflow logs it; when it has an ONNX flavor, the signature is inferred from the graph.
/// </summary>
internal static class ModelPackageValidator
{
    public static async Task<ModelPackageReport> ValidateAsync(ModelPackageReader package, CancellationToken ct)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        if (await package.FindAsync(MLmodel.FileName, ct) is not { IsDir: false })
        {
            errors.Add($"No {MLmodel.FileName} file at '{package.Root}'; a model package needs one at its root.");
            return new ModelPackageReport(null, null, errors, warnings);
        }

        MLmodel model;
        try
        {
            model = await package.ReadMLmodelAsync(ct);
        }
        catch (FormatException e)
        {
            errors.Add($"{MLmodel.FileName} cannot be read: {e.Message}");
            return new ModelPackageReport(null, null, errors, warnings);
        }

        await CheckFlavorsAsync(package, model, errors, warnings, ct);
        var signature = ReadSignature(model, errors, warnings);
        await CheckInputExampleAsync(package, model, signature, errors, warnings, ct);
        var onnx = await CheckOnnxAsync(package, model, errors, ct);
        if (signature is null && onnx is not null)
        {
            warnings.Add("The signature was inferred from the ONNX graph's inputs and outputs.");
            return new ModelPackageReport(model, onnx.Signature, errors, warnings) { SignatureInferred = true };
        }

        return new ModelPackageReport(model, signature, errors, warnings);
    }

    private static async Task CheckFlavorsAsync(ModelPackageReader package, MLmodel model, List<string> errors, List<string> warnings, CancellationToken ct)
    {
        if (model.Flavors.Count == 0)
        {
            errors.Add($"{MLmodel.FileName} names no flavor, so nothing can load the model.");
            return;
        }

        foreach (var (name, value) in model.Flavors)
        {
            var settings = (IDictionary<string, object?>)value!;
            if (!Flavors.DataKeys.TryGetValue(name, out var keys))
            {
                continue;
            }

            var dataKey = keys.FirstOrDefault(settings.ContainsKey);
            if (dataKey is null)
            {
                // pyfunc packages that wrap a custom python_model have no data file of their own.
                if (name != Flavors.PythonFunction)
                {
                    errors.Add($"Flavor '{name}' does not name its data file ('{keys[0]}').");
                }

                continue;
            }

            if (settings[dataKey] is not string path || path.Length == 0)
            {
                errors.Add($"Flavor '{name}' setting '{dataKey}' must be a relative path.");
                continue;
            }

            try
            {
                if (await package.FindAsync(path, ct) is null)
                {
                    errors.Add($"Flavor '{name}' names '{path}' as its data, but the package has no such file.");
                }
            }
            catch (KeelException)
            {
                errors.Add($"Flavor '{name}' names '{path}' as its data, which is not a path inside the package.");
            }
        }

        if (model.Flavor(Flavors.PythonFunction) is null)
        {
            warnings.Add("The package has no python_function flavor, so MLflow's pyfunc (Python clients, mlflow models serve) cannot load it.");
        }
    }

    private static ModelSignature? ReadSignature(MLmodel model, List<string> errors, List<string> warnings)
    {
        if (!model.HasSignature)
        {
            warnings.Add("The model has no signature: inputs cannot be checked before scoring. Log it with a signature or an input example.");
            return null;
        }

        try
        {
            return model.ReadSignature();
        }
        catch (FormatException e)
        {
            errors.Add($"Signature is malformed: {e.Message}");
            return null;
        }
    }

    private static async Task CheckInputExampleAsync(
        ModelPackageReader package, MLmodel model, ModelSignature? signature, List<string> errors, List<string> warnings, CancellationToken ct)
    {
        InputExampleInfo? info;
        try
        {
            info = model.SavedInputExampleInfo;
        }
        catch (FormatException e)
        {
            errors.Add($"saved_input_example_info is malformed: {e.Message}");
            return;
        }

        if (info is null)
        {
            return;
        }

        string json;
        try
        {
            if (await package.FindAsync(info.ArtifactPath, ct) is not { IsDir: false })
            {
                errors.Add($"saved_input_example_info names '{info.ArtifactPath}', but the package has no such file.");
                return;
            }

            json = await package.ReadAllTextAsync(info.ArtifactPath, ct);
        }
        catch (KeelException)
        {
            errors.Add($"saved_input_example_info names '{info.ArtifactPath}', which is not a path inside the package.");
            return;
        }

        if (signature is not null)
        {
            InputExampleCheck.Check(info, json, signature.Inputs, errors, warnings);
        }
    }

    private static async Task<OnnxModelDescription?> CheckOnnxAsync(ModelPackageReader package, MLmodel model, List<string> errors, CancellationToken ct)
    {
        if (model.Flavor(Flavors.Onnx)?.GetValueOrDefault("data") is not string path || await package.FindAsync(path, ct) is not { IsDir: false })
        {
            return null;
        }

        try
        {
            return OnnxModelInspector.Inspect(await package.ReadAllBytesAsync(path, ct));
        }
        catch (FormatException e)
        {
            errors.Add($"Flavor 'onnx' data '{path}': {e.Message}");
            return null;
        }
    }
}
