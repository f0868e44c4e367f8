using System.Globalization;

namespace Keel.Core.Gates;

/// <summary>What a gate is checked against: a run's latest metric values and its tags.</summary>
internal sealed record GateInputs(IReadOnlyDictionary<string, double> Metrics, IReadOnlyDictionary<string, string> Tags);

/// <summary>A value a condition needs but the run does not have; the condition fails with this message.</summary>
internal sealed class GateValueMissingException(string message) : Exception(message);

/// <summary>One side of a condition. Types are known when parsing, so a file mixing text and numbers fails with its line.</summary>
internal abstract record GateExpression
{
    public abstract bool IsText { get; }

    /// <summary>A double, or a string when <see cref="IsText"/>.</summary>
    public abstract object Evaluate(GateInputs inputs);

    public static string Format(object value) =>
        value is double d ? d.ToString("G6", CultureInfo.InvariantCulture) : (string)value;
}

internal sealed record NumberExpression(double Value) : GateExpression
{
    public override bool IsText => false;

    public override object Evaluate(GateInputs inputs) => Value;
}

internal sealed record TextExpression(string Value) : GateExpression
{
    public override bool IsText => true;

    public override object Evaluate(GateInputs inputs) => Value;
}

internal sealed record MetricExpression(string Key) : GateExpression
{
    public override bool IsText => false;

    public override object Evaluate(GateInputs inputs) =>
        inputs.Metrics.TryGetValue(Key, out var value) ? value : throw new GateValueMissingException($"metric {Key} not logged");
}

internal sealed record TagExpression(string Key) : GateExpression
{
    public override bool IsText => true;

    public override object Evaluate(GateInputs inputs) =>
        inputs.Tags.TryGetValue(Key, out var value) ? value : throw new GateValueMissingException($"tag {Key} not set");
}

/// <summary>
/// <c>max_slice_gap(M)</c>: the largest <c>slice_gap.COLUMN.M</c> over slice columns, the evaluation's best-minus-worst
/// slice difference, so one condition covers however many slice columns the evaluation used.
/// </summary>
internal sealed record MaxSliceGapExpression(string Metric) : GateExpression
{
    public override bool IsText => false;

    public override object Evaluate(GateInputs inputs)
    {
        var suffix = "." + Metric;
        var gaps = inputs.Metrics.Where(m => m.Key.StartsWith("slice_gap.", StringComparison.Ordinal) && m.Key.EndsWith(suffix, StringComparison.Ordinal)
                && m.Key.Length > "slice_gap.".Length + suffix.Length)
            .Select(m => m.Value).ToList();
        return gaps.Count > 0 ? gaps.Max() : throw new GateValueMissingException($"metric slice_gap.<column>.{Metric} not logged");
    }
}

internal sealed record ArithmeticExpression(char Operator, GateExpression Left, GateExpression Right) : GateExpression
{
    public override bool IsText => false;

    public override object Evaluate(GateInputs inputs)
    {
        var (left, right) = ((double)Left.Evaluate(inputs), (double)Right.Evaluate(inputs));
        return Operator switch
        {
            '+' => left + right,
            '-' => left - right,
            '*' => left * right,
            _ => left / right,
        };
    }
}
