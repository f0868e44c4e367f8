using Keel.Core.Audit;
using Keel.Core.Auth;
using Keel.Core.Data;
using Keel.Core.Deployments;
using Keel.Core.Monitoring;
using Keel.Core.Predictions;
using Keel.Core.Registry;
using Keel.Core.Tracking;
using Keel.Core.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Keel.Core.Storage;

/// <summary>The one model of the schema. Its migrations are SQLite's; <see cref="PostgresDbContext"/> has PostgreSQL's.</summary>
internal class KeelDbContext : DbContext
{
    public KeelDbContext(DbContextOptions<KeelDbContext> options)
        : base(options)
    {
    }

    protected KeelDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<ExperimentRow> Experiments => Set<ExperimentRow>();
    public DbSet<RunRow> Runs => Set<RunRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        TrackingModel.Configure(modelBuilder);
        RegistryModel.Configure(modelBuilder);
        WebhookModel.Configure(modelBuilder);
        PredictionModel.Configure(modelBuilder);
        DataModel.Configure(modelBuilder);
        DeploymentModel.Configure(modelBuilder);
        DataProtectionKeyModel.Configure(modelBuilder);
        MonitoringModel.Configure(modelBuilder);
        AuthModel.Configure(modelBuilder);
        AuditModel.Configure(modelBuilder);
        ConfigureEngine(modelBuilder);
        // snake_case columns, as MLflow's own schema names them, so raw SQL reads naturally.
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    /// <summary>What one engine's schema does its own way.</summary>
    protected virtual void ConfigureEngine(ModelBuilder modelBuilder)
    {
    }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

/// <summary>The same model on PostgreSQL, with its own migrations (Storage/Migrations/Postgres).</summary>
internal sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : KeelDbContext(options)
{
    protected override void ConfigureEngine(ModelBuilder modelBuilder)
    {
        TrackingModel.ConfigurePostgres(modelBuilder);
        // Byte-order comparison on every text column, whatever the database's locale: names, keys and
        // values sort and compare as they do on SQLite (and in MLflow), and LIKE 'prefix%' can use a B-tree.
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()).Where(p => p.ClrType == typeof(string)))
        {
            property.SetCollation("C");
        }
    }
}
