namespace Keel.Core.Storage;

internal sealed class StorageOptions
{
    /// <summary>Holds the SQLite database and the artifact tree (configuration key Storage:DataDirectory).</summary>
    public string DataDirectory { get; set; } = "keel-data";

    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDirectory), "keel.db");

    public string ArtifactRoot => Path.Combine(Path.GetFullPath(DataDirectory), "artifacts");
}
