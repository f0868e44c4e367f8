namespace Keel.Core.Models;

/// <summary>
/// The flavors Keel reads, and the setting in each that names the model's data file. Other flavors are
/// kept as they are; their files are the business of the client that wrote them.
/// </summary>
/// <remarks>
/// <c>mlnet</c> is Keel's own flavor for ML.NET model zips:
/// <code>
/// mlnet:
///   data: model.zip                                # the zip written by MLContext.Model.Save, relative to the package
///   loader: Microsoft.ML.MLContext.Model.Load      # how to load it: MLContext.Model.Load(stream, out inputSchema)
///   mlnet_version: 5.0.1                           # Microsoft.ML version that saved it
///   requirements:                                  # NuGet packages the loading process needs (trainers live in their own packages)
///   - Microsoft.ML==5.0.1
///   - Microsoft.ML.FastTree==5.0.1
/// </code>
/// </remarks>
internal static class Flavors
{
    public const string PythonFunction = "python_function";
    public const string Onnx = "onnx";
    public const string MlNet = "mlnet";

    /// <summary>Flavor → the setting that names its data file or directory.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> DataKeys = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [Onnx] = ["data"],
        [MlNet] = ["data"],
        ["sklearn"] = ["pickled_model"],
        // pyfunc names its data under "data" (mlflow.onnx, mlflow.sklearn) or "model_path" (older sklearn packages).
        [PythonFunction] = ["data", "model_path"],
    };
}
