using Microsoft.EntityFrameworkCore;

namespace Keel.Core.Audit;

// Rows of the audit trail. The store reads and writes them with raw, portable SQL; these classes exist so that one EF
// model owns the schema and its migrations.

internal sealed class AuditEntryRow
{
    public long Seq { get; set; }
    public long Time { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? Resource { get; set; }
    public required string RequestId { get; set; }
    public long Outcome { get; set; }
    public string? PayloadSha256 { get; set; }

    // Kept beside the entry's own hash so a verifier can tell an entry moved elsewhere from one whose fields changed.
    public required string PrevHash { get; set; }
    public required string Hash { get; set; }
}

/// <summary>The chain's last seq and hash, one row: appending locks it first, so replicas append one chain in turn.</summary>
internal sealed class AuditHeadRow
{
    public long Id { get; set; }
    public long Seq { get; set; }
    public required string Hash { get; set; }
}

internal static class AuditModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<AuditEntryRow>(e =>
        {
            e.ToTable("audit_log").HasKey(x => x.Seq);
            e.Property(x => x.Seq).ValueGeneratedNever();
            e.HasIndex(x => x.Time);
        });
        model.Entity<AuditHeadRow>(e =>
        {
            e.ToTable("audit_head").HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasData(new AuditHeadRow { Id = 1, Seq = 0, Hash = AuditChain.GenesisHash });
        });
    }
}
