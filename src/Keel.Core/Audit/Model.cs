namespace Keel.Core.Audit;

/// <summary>What a request did, before it has a place in the chain.</summary>
internal sealed record AuditRecord(
    long Time, string Actor, string Action, string? Resource, string RequestId, int Outcome, string? PayloadSha256);

/// <summary>An entry of the chain.</summary>
internal sealed record AuditEntry(long Seq, AuditRecord Record, string PrevHash, string Hash);

internal sealed record AuditFilter(long? Since, long? Until, string? Actor, string? Action, string? Resource);

internal sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, string? NextPageToken);

internal static class AuditProblemKinds
{
    public const string Modified = "modified";
    public const string Missing = "missing";
    public const string Reordered = "reordered";
    public const string HeadMismatch = "head_mismatch";
}

internal sealed record AuditProblem(long Seq, string Kind, string Detail);

/// <summary>The outcome of walking the chain: <see cref="Entries"/> verified before the first problem, if any.</summary>
internal sealed record AuditVerification(bool Ok, long Entries, long HeadSeq, string HeadHash, AuditProblem? FirstProblem);
