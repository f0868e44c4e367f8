using Microsoft.ML;

namespace Keel.Client.ML;

/// <summary>Options for logging an ML.NET model as an MLflow model package.</summary>
public sealed class LogModelOptions
{
    /// <summary>
    /// Also convert the model to ONNX (<c>model.onnx</c>, Microsoft.ML.OnnxConverter) and add the <c>onnx</c> and
    /// <c>python_function</c> flavors, so ONNX Runtime and MLflow's Python client can load it too. Not every
    /// ML.NET transform and trainer can be converted; those that cannot make logging throw.
    /// </summary>
    public bool ExportOnnx { get; set; }

    /// <summary>The signature to write; null derives a column signature from the input schema and the model's output schema.</summary>
    public ModelSignature? Signature { get; set; }

    /// <summary>Data to take the input example from (its first <see cref="InputExampleRows"/> rows, signature columns only); null saves none.</summary>
    public IDataView? InputExample { get; set; }

    /// <summary>How many rows of <see cref="InputExample"/> to save.</summary>
    public int InputExampleRows { get; set; } = 5;

    /// <summary>NuGet packages a process needs to load the model (<c>Package==Version</c>); null lists those the model's transformers come from.</summary>
    public IReadOnlyList<string>? Requirements { get; set; }
}
