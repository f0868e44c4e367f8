namespace Keel.Core.DataValidation;

/// <summary>The violation classes, as they appear in reports.</summary>
internal static class ViolationKinds
{
    public const string MissingColumn = "missing_column";
    public const string UnexpectedColumn = "unexpected_column";
    public const string TypeMismatch = "type_mismatch";
    public const string NullValues = "null_values";
    public const string OutOfRange = "out_of_range";
    public const string UnseenCategory = "unseen_category";
    public const string DuplicateRows = "duplicate_rows";
    public const string MissingRate = "missing_rate";
    public const string LabelShift = "label_shift";
}

/// <summary>One broken expectation; <see cref="Column"/> is null for table-wide ones such as duplicate rows.</summary>
internal sealed record Violation(string Kind, string? Column, string Message);

/// <summary>How the --target column's distribution compares with the reference's.</summary>
internal sealed record LabelShift(string Column, double Psi, double? ChiSquarePValue, double Threshold);

internal sealed record DataValidationReport(string Data, string Against, long Rows, int Columns, IReadOnlyList<Violation> Violations, LabelShift? Label)
{
    public bool Passed => Violations.Count == 0;

    public string Status => Passed ? "passed" : "failed";
}
