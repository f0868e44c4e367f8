namespace Keel.Core.Storage;

internal sealed class StorageOptions
{
    /// <summary>Holds the SQLite database and the artifact tree (configuration key Storage:DataDirectory).</summary>
    public string DataDirectory { get; set; } = "keel-data";

    /// <summary>
    /// A PostgreSQL database for metadata instead of the embedded SQLite file (Storage:Database):
    /// postgresql://user:password@host:5432/database, or an Npgsql connection string.
    /// </summary>
    public string? Database { get; set; }

    public bool IsPostgres => !string.IsNullOrWhiteSpace(Database);

    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDirectory), "keel.db");

    public string ArtifactRoot => Path.Combine(Path.GetFullPath(DataDirectory), "artifacts");
}
