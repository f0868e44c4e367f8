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

    /// <summary>
    /// Group-commit writers per server on PostgreSQL (Storage:PostgresWriters): while one waits for its
    /// commit to be durable, the next runs its statements. SQLite always has one.
    /// </summary>
    public int PostgresWriters { get; set; } = 2;

    public bool IsPostgres => !string.IsNullOrWhiteSpace(Database);

    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDirectory), "keel.db");

    public string ArtifactRoot => Path.Combine(Path.GetFullPath(DataDirectory), "artifacts");
}
