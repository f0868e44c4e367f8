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
    }
}
