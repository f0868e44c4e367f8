using Keel.Serving.Inputs;

namespace Keel.Serving.Models;

/// <summary>
/// A loaded model version, ready to score batches. One instance is shared by every request; several can be loaded at
/// once (a deployment's stable and canary versions), each scoring only batches built against its own schema.
/// </summary>
internal abstract class ServedModel(string name, long version, InputSchema inputs) : IDisposable
{
    public string Name { get; } = name;

    public long Version { get; } = version;

    public InputSchema Inputs { get; } = inputs;

    public abstract string Flavor { get; }

    /// <summary>
    /// True for models that answer in columns (a DataFrame in MLflow's pyfunc): predictions are then one record per
    /// row, <c>[{"Score": 0.3}, ...]</c>; otherwise an object of output name to one entry per row.
    /// </summary>
    public abstract bool AnswersInRecords { get; }

    /// <summary>Scores every row of the batch; the outputs have the batch's row count.</summary>
    public abstract Column[] Predict(InputBatch batch);

    public abstract void Dispose();
}
