namespace Keel.Core.Evaluation;

/// <summary>What kind of model is evaluated: it decides the metrics.</summary>
internal enum EvaluationTask
{
    Binary,
    Regression,
}

/// <summary>The true values of the target column: labels for a classifier, numbers for a regressor.</summary>
internal sealed record Target(bool[]? Labels, double[]? Values)
{
    public int Rows => Labels?.Length ?? Values!.Length;

    public EvaluationTask Task => Labels is null ? EvaluationTask.Regression : EvaluationTask.Binary;

    /// <summary>The target of the given rows only, in their order.</summary>
    public Target Subset(int[] rows) => Labels is { } labels
        ? new Target([.. rows.Select(r => labels[r])], null)
        : new Target(null, [.. rows.Select(r => Values![r])]);
}

/// <summary>One model's answers for every row: predicted labels (and the positive class's probability when the model gives it), or numbers.</summary>
internal sealed record ModelAnswers(bool[]? Labels, double[]? Probability, double[]? Values);
