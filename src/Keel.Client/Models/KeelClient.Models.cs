using Keel.Client.Protocol;
using Keel.Formats;

namespace Keel.Client;

public sealed partial class KeelClient
{
    /// <summary>
    /// Logs an ONNX file as an MLflow model package: <c>model.onnx</c>, an MLmodel with the <c>onnx</c> flavor
    /// and a <c>python_function</c> flavor (loader <c>mlflow.onnx</c>, so MLflow's Python client loads it with
    /// <c>mlflow.pyfunc.load_model("runs:/&lt;run_id&gt;/&lt;artifact_path&gt;")</c>), the signature and the input
    /// example. The package is uploaded through the artifact proxy and recorded in the run's
    /// <c>mlflow.log-model.history</c> tag, as MLflow's <c>log_model</c> does.
    /// </summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="onnxFile">The ONNX model file.</param>
    /// <param name="artifactPath">The package's directory under the run's artifact root.</param>
    /// <param name="signature">The model's inputs and outputs; null infers tensor specs from the graph's inputs and outputs.</param>
    /// <param name="inputExample">A few rows of valid input, saved as <c>input_example.json</c>; null saves none.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>What was logged, with the URI MLflow clients load it by.</returns>
    /// <exception cref="ArgumentException">The file is not an ONNX model.</exception>
    public async Task<LoggedModel> LogOnnxModelAsync(
        string runId, string onnxFile, string artifactPath = "model", ModelSignature? signature = null, ModelInputExample? inputExample = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxFile);
        ArgumentException.ThrowIfNullOrWhiteSpace(artifactPath);
        using var package = new ModelPackageWriter();
        var header = ReadOnnxHeader(await File.ReadAllBytesAsync(onnxFile, cancellationToken).ConfigureAwait(false), onnxFile);
        File.Copy(onnxFile, package.PathOf(ModelPackageWriter.OnnxFileName));
        package.AddOnnxFlavors(header);
        package.Signature = signature ?? ModelPackageWriter.OnnxSignature(header);
        package.InputExample = inputExample;
        return await LogModelPackageAsync(runId, package, artifactPath, cancellationToken).ConfigureAwait(false);
    }

    internal static OnnxModelProto ReadOnnxHeader(byte[] model, string file)
    {
        try
        {
            return OnnxModelProto.Parse(model);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"'{file}' is not an ONNX model: {e.Message}", nameof(file), e);
        }
    }

    internal async Task<LoggedModel> LogModelPackageAsync(string runId, ModelPackageWriter package, string artifactPath, CancellationToken cancellationToken)
    {
        var path = artifactPath.Replace('\\', '/').Trim('/');
        var (modelUuid, history) = package.Finish(runId, path);
        await UploadArtifactsAsync(runId, package.Directory, path, cancellationToken).ConfigureAwait(false);
        await PostAsync("runs/log-model", new LogModelRequest(runId, PythonJson.Serialize(PythonJson.FromTree(history))),
            KeelJsonContext.Default.LogModelRequest, cancellationToken).ConfigureAwait(false);
        return new LoggedModel(runId, path, modelUuid, package.FlavorNames, package.Signature);
    }
}
