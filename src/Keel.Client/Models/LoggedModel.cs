namespace Keel.Client;

/// <summary>A model package logged to a run (MLflow's <c>ModelInfo</c>).</summary>
/// <param name="RunId">The run the model was logged to.</param>
/// <param name="ArtifactPath">The package's directory under the run's artifact root.</param>
/// <param name="ModelUuid">The package's unique id (<c>model_uuid</c> in MLmodel).</param>
/// <param name="Flavors">The flavors written to MLmodel, such as <c>onnx</c>, <c>mlnet</c> and <c>python_function</c>.</param>
/// <param name="Signature">The signature written to MLmodel, if any.</param>
public sealed record LoggedModel(string RunId, string ArtifactPath, string ModelUuid, IReadOnlyList<string> Flavors, ModelSignature? Signature)
{
    /// <summary>The URI MLflow clients load the model by: <c>runs:/&lt;run_id&gt;/&lt;artifact_path&gt;</c>.</summary>
    public string ModelUri => $"runs:/{RunId}/{ArtifactPath}";
}
