using System.Security.Cryptography;
using System.Text;

namespace Keel.Core.Gates;

/// <summary>A named list of conditions that must all hold; <see cref="Digest"/> identifies the exact file text.</summary>
internal sealed record Gate(string Name, IReadOnlyList<GateCondition> Conditions, string Digest)
{
    public const string PassedValue = "passed";
    public const string FailedValue = "failed";

    /// <summary>
    /// Model-version tags under this prefix are written only by a gate check the server evaluated itself: a client that
    /// could set <c>keel.gate.X = passed</c> by hand would walk past every gate-protected alias.
    /// </summary>
    public const string TagPrefix = "keel.gate.";

    /// <summary>The model-version tag a gate check records its outcome under.</summary>
    public static string StatusTag(string gateName) => TagPrefix + gateName;

    /// <summary>Refuses a client's own write or delete of a gate result tag.</summary>
    public static void RefuseReservedTag(string? key)
    {
        if (key?.StartsWith(TagPrefix, StringComparison.Ordinal) == true)
        {
            throw KeelException.InvalidParameter(
                $"Model version tags starting with '{TagPrefix}' are set only by gate checks the server evaluates " +
                "(keel gate check --record-on, or POST /api/keel/v1/gates/check with record_on).");
        }
    }

    /// <summary>A registered-model tag <c>keel.require_gate.ALIAS = GATE</c> makes setting ALIAS require a passed GATE.</summary>
    public const string RequireTagPrefix = "keel.require_gate.";

    public static string DigestOf(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>One comparison from the gate file, with the line it came from so results and errors can point at it.</summary>
internal sealed record GateCondition(int Line, string Text, GateExpression Left, string Operator, GateExpression Right);

/// <summary>How one condition came out: both sides' values as shown to people, or why it could not be evaluated.</summary>
internal sealed record ConditionResult(int Line, string Condition, bool Passed, string? Actual, string? Expected, string? Message);

internal sealed record GateResult(string Name, string Digest, string RunId, bool Passed, IReadOnlyList<ConditionResult> Conditions)
{
    public string Status => Passed ? Gate.PassedValue : Gate.FailedValue;
}
