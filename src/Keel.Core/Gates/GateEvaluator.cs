namespace Keel.Core.Gates;

/// <summary>Checks every condition of a gate against a run, so a failing gate reports all its failures at once.</summary>
internal static class GateEvaluator
{
    public static GateResult Evaluate(Gate gate, string runId, GateInputs inputs)
    {
        var results = gate.Conditions.Select(c => Evaluate(c, inputs)).ToList();
        return new GateResult(gate.Name, gate.Digest, runId, results.All(r => r.Passed), results);
    }

    private static ConditionResult Evaluate(GateCondition condition, GateInputs inputs)
    {
        object left, right;
        try
        {
            left = condition.Left.Evaluate(inputs);
            right = condition.Right.Evaluate(inputs);
        }
        catch (GateValueMissingException e)
        {
            return new ConditionResult(condition.Line, condition.Text, false, null, null, e.Message);
        }

        var passed = left is double l && right is double r
            ? condition.Operator switch
            {
                ">=" => l >= r,
                "<=" => l <= r,
                ">" => l > r,
                "<" => l < r,
                "==" => l == r,
                _ => l != r,
            }
            : condition.Operator == "==" == string.Equals((string)left, (string)right, StringComparison.Ordinal);
        return new ConditionResult(condition.Line, condition.Text, passed, GateExpression.Format(left),
            $"{condition.Operator} {GateExpression.Format(right)}", null);
    }
}
