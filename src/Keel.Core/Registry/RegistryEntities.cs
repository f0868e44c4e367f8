using Microsoft.EntityFrameworkCore;

namespace Keel.Core.Registry;

// Rows of the registry schema. The store reads and writes them with raw, portable SQL (the same text runs
// on SQLite and PostgreSQL); these classes exist so that one EF model owns the schema and its migrations.

internal sealed class RegisteredModelRow
{
    // An integer surrogate so a rename is one UPDATE and child rows stay compact; the name is unique.
    public long ModelId { get; set; }
    public required string Name { get; set; }
    public long CreationTime { get; set; }
    public long LastUpdatedTime { get; set; }
    public string? Description { get; set; }

    // The highest version number ever handed out. Versions are allocated by incrementing it inside the
    // write transaction, so numbers are never reused (even after a delete) and several servers on one
    // database cannot hand out the same number.
    public long LastVersion { get; set; }
}

internal sealed class RegisteredModelTagRow
{
    public long ModelId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}

internal sealed class ModelVersionRow
{
    public long ModelId { get; set; }
    public long Version { get; set; }
    public long CreationTime { get; set; }
    public long LastUpdatedTime { get; set; }
    public string? Description { get; set; }
    public string? UserId { get; set; }
    public required string CurrentStage { get; set; }
    public required string Source { get; set; }
    public required string StorageLocation { get; set; }
    public string? RunId { get; set; }
    public string? RunLink { get; set; }
    public required string Status { get; set; }
    public string? StatusMessage { get; set; }
}

internal sealed class ModelVersionTagRow
{
    public long ModelId { get; set; }
    public long Version { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}

internal sealed class RegisteredModelAliasRow
{
    public long ModelId { get; set; }
    public required string Alias { get; set; }
    public long Version { get; set; }
}

internal sealed class RegistryEventRow
{
    public long EventId { get; set; }
    public long Time { get; set; }
    public required string Actor { get; set; }
    public required string EventType { get; set; }
    public required string ModelName { get; set; }
    public long? Version { get; set; }
    public required string Payload { get; set; }
}

internal static class RegistryModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<RegisteredModelRow>(e =>
        {
            e.ToTable("registered_models").HasKey(x => x.ModelId);
            // Case-sensitive, as in MLflow: "Model" and "model" are two models.
            e.HasIndex(x => x.Name).IsUnique();
        });
        model.Entity<RegisteredModelTagRow>(e => e.ToTable("registered_model_tags").HasKey(x => new { x.ModelId, x.Key }));
        model.Entity<ModelVersionRow>(e =>
        {
            e.ToTable("model_versions").HasKey(x => new { x.ModelId, x.Version });
            // Latest version per stage, and search by run.
            e.HasIndex(x => new { x.ModelId, x.CurrentStage, x.Version });
            e.HasIndex(x => x.RunId);
        });
        model.Entity<ModelVersionTagRow>(e => e.ToTable("model_version_tags").HasKey(x => new { x.ModelId, x.Version, x.Key }));
        model.Entity<RegisteredModelAliasRow>(e =>
        {
            e.ToTable("registered_model_aliases").HasKey(x => new { x.ModelId, x.Alias });
            e.HasIndex(x => new { x.ModelId, x.Version });
        });
        model.Entity<RegistryEventRow>(e =>
        {
            e.ToTable("registry_events").HasKey(x => x.EventId);
            e.HasIndex(x => new { x.ModelName, x.EventId });
        });
    }
}
