using Keel.Formats;
using Microsoft.ML;

namespace Keel.Client.ML;

/// <summary>Logging ML.NET models to a run as MLflow model packages.</summary>
public static class KeelClientModelLogging
{
    /// <summary>The file name of the ML.NET zip inside the package.</summary>
    public const string ModelFileName = "model.zip";

    /// <summary>
    /// Logs an ML.NET model as an MLflow model package: <c>model.zip</c> (<c>MLContext.Model.Save</c>) under
    /// Keel's <c>mlnet</c> flavor, a column signature, optionally an input example, and with
    /// <see cref="LogModelOptions.ExportOnnx"/> also <c>model.onnx</c> with the <c>onnx</c> and <c>python_function</c>
    /// flavors. The package is uploaded to the run's artifacts and recorded in its model history.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="runId">The run's id.</param>
    /// <param name="model">The trained model.</param>
    /// <param name="inputSchema">The schema of the data the model takes, as passed to <c>MLContext.Model.Save</c>.</param>
    /// <param name="artifactPath">The package's directory under the run's artifact root.</param>
    /// <param name="options">What else to write; null writes the zip and the derived signature.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>What was logged.</returns>
    /// <exception cref="NotSupportedException">A column's type has no MLflow column type (vectors, keys) and no <see cref="LogModelOptions.Signature"/> was given.</exception>
    public static async Task<LoggedModel> LogModelAsync(
        this KeelClient client, string runId, ITransformer model, DataViewSchema inputSchema, string artifactPath = "model",
        LogModelOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        options ??= new LogModelOptions();

        var ml = new MLContext();
        using var package = new ModelPackageWriter();
        ml.Model.Save(model, inputSchema, package.PathOf(ModelFileName));
        package.AddFlavor("mlnet", new OrderedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["data"] = ModelFileName,
            ["loader"] = "Microsoft.ML.MLContext.Model.Load",
            ["mlnet_version"] = MlNetRequirements.VersionOf(typeof(MLContext).Assembly),
            ["requirements"] = (options.Requirements ?? MlNetRequirements.Of(model)).Cast<object?>().ToList(),
        });

        if (options.ExportOnnx)
        {
            var onnxPath = package.PathOf(ModelPackageWriter.OnnxFileName);
            using (var onnx = File.Create(onnxPath))
            {
                ml.Model.ConvertToOnnx(model, new EmptyDataView(inputSchema), onnx);
            }

            package.AddOnnxFlavors(KeelClient.ReadOnnxHeader(await File.ReadAllBytesAsync(onnxPath, cancellationToken).ConfigureAwait(false), onnxPath));
        }

        package.Signature = options.Signature ?? MlNetSignature.Derive(model, inputSchema);
        if (options.InputExample is not null)
        {
            package.InputExample = MlNetSignature.Example(options.InputExample, package.Signature, options.InputExampleRows);
        }

        return await client.LogModelPackageAsync(runId, package, artifactPath, cancellationToken).ConfigureAwait(false);
    }
}
