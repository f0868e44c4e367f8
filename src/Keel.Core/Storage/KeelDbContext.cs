using Keel.Core.Registry;
using Keel.Core.Tracking;
using Microsoft.EntityFrameworkCore;

namespace Keel.Core.Storage;

internal sealed class KeelDbContext(DbContextOptions<KeelDbContext> options) : DbContext(options)
{
    public DbSet<ExperimentRow> Experiments => Set<ExperimentRow>();
    public DbSet<RunRow> Runs => Set<RunRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        TrackingModel.Configure(modelBuilder);
        RegistryModel.Configure(modelBuilder);
        // snake_case columns, as MLflow's own schema names them, so raw SQL reads naturally.
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
