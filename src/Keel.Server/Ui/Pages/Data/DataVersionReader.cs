using System.Text.Json;
using Keel.Core.Data;
using Keel.Data;

namespace Keel.Server.Ui.Pages.Data;

/// <summary>A dataset version's files and table profiles, as the data pages show them.</summary>
internal sealed record DataVersionReader(DataVersion Version, IReadOnlyList<DataManifestFile> Files, IReadOnlyList<DataProfileView> Profiles)
{
    public static async Task<DataVersionReader> ReadAsync(DataStore store, string name, string? reference, CancellationToken ct)
    {
        var (version, manifest) = await store.GetManifestAsync(name, reference, ct);
        var files = JsonSerializer.Deserialize<DataManifest>(manifest, DataStore.ManifestJson)?.Files ?? [];
        var profiles = (await store.GetProfilesAsync(name, version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ct))
            .Select(DataProfileView.From).ToList();
        return new DataVersionReader(version, files, profiles);
    }
}
