using Microsoft.EntityFrameworkCore;

namespace Keel.Core.Deployments;

// The deployments schema; the store reads and writes it with portable SQL, EF owns the schema and migrations.

internal sealed class DeploymentRow
{
    public required string Name { get; set; }
    public long CreationTime { get; set; }

    // Bumped in the same transaction that appends a revision, so replicas racing on one deployment get distinct numbers.
    public long LatestRevision { get; set; }
}

internal sealed class DeploymentRevisionRow
{
    public required string Deployment { get; set; }
    public long Revision { get; set; }
    public required string Spec { get; set; }
    public required string Actor { get; set; }
    public long Time { get; set; }
    public required string Status { get; set; }
    public string? Message { get; set; }

    // Why the revision exists ("created", "alias champion of m moved to version 3", "rolled back to revision 2").
    public string? Cause { get; set; }

    // The versions the spec's URIs named when the revision was made: every replica serves exactly these, and a
    // rollback pins them. Null where a URI named nothing yet (an alias not set).
    public long? ModelVersion { get; set; }
    public long? CanaryVersion { get; set; }
    public long? ShadowVersion { get; set; }
}

// Per-minute serving totals of one model version in one deployment, summed over every host that served it. The
// latency histogram's buckets are fixed (TrafficMinute.LatencyBoundsMs), one column each so hosts add with plain SQL.
internal sealed class DeploymentTrafficRow
{
    public required string Deployment { get; set; }
    public long Minute { get; set; }
    public required string ModelName { get; set; }
    public long ModelVersion { get; set; }
    public long Requests { get; set; }
    public long Errors { get; set; }
    public long L0 { get; set; }
    public long L1 { get; set; }
    public long L2 { get; set; }
    public long L3 { get; set; }
    public long L4 { get; set; }
    public long L5 { get; set; }
    public long L6 { get; set; }
    public long L7 { get; set; }
    public long L8 { get; set; }
    public long L9 { get; set; }
    public long L10 { get; set; }
    public long L11 { get; set; }
}

internal static class DeploymentModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<DeploymentRow>(e => e.ToTable("deployments").HasKey(x => x.Name));
        model.Entity<DeploymentRevisionRow>(e =>
        {
            e.ToTable("deployment_revisions").HasKey(x => new { x.Deployment, x.Revision });
            e.HasOne<DeploymentRow>().WithMany().HasForeignKey(x => x.Deployment).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<DeploymentTrafficRow>(e =>
        {
            e.ToTable("deployment_traffic").HasKey(x => new { x.Deployment, x.Minute, x.ModelName, x.ModelVersion });
            // The overview sums every deployment's recent minutes, and retention deletes old ones.
            e.HasIndex(x => x.Minute);
            e.HasOne<DeploymentRow>().WithMany().HasForeignKey(x => x.Deployment).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
