using Microsoft.ML;

namespace Keel.Client.ML;

/// <summary>Logging ML.NET models to the run in progress as MLflow model packages.</summary>
public static class ActiveRunModelLogging
{
    /// <summary>Logs an ML.NET model to this run; see <see cref="KeelClientModelLogging.LogModelAsync"/>.</summary>
    /// <param name="run">The run.</param>
    /// <param name="model">The trained model.</param>
    /// <param name="inputSchema">The schema of the data the model takes.</param>
    /// <param name="artifactPath">The package's directory under the run's artifact root.</param>
    /// <param name="options">What else to write.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>What was logged.</returns>
    public static Task<LoggedModel> LogModelAsync(
        this ActiveRun run, ITransformer model, DataViewSchema inputSchema, string artifactPath = "model",
        LogModelOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Client.LogModelAsync(run.RunId, model, inputSchema, artifactPath, options, cancellationToken);
    }
}
