using System.Collections.Concurrent;
using System.Text.Json;
using Keel.Core.Data;
using Keel.Core.Registry;

namespace Keel.Core.Monitoring;

/// <summary>A monitor's reference: a data version, or the training data of the model version being served.</summary>
internal abstract record MonitorReference
{
    public const string Training = "training";

    public sealed record DataVersion(string Name, string Version) : MonitorReference;

    public sealed record TrainingData : MonitorReference;

    public static MonitorReference? Parse(string? text)
    {
        if (text == Training)
        {
            return new TrainingData();
        }

        if (text is null || !text.StartsWith("data:/", StringComparison.Ordinal))
        {
            return null;
        }

        var body = text["data:/".Length..];
        var at = body.LastIndexOf('@');
        return at <= 0 || at == body.Length - 1 ? null : new DataVersion(body[..at], body[(at + 1)..]);
    }
}

/// <summary>
/// Reads a reference table server-side: the data version's first CSV or Parquet file, reassembled from its chunks.
/// Tables are cached by the version's manifest digest: content-addressed, so a cached table can never be stale and
/// replicas need not agree on anything.
/// </summary>
internal sealed class ReferenceLoader(DataStore data, ModelLineageReader lineage)
{
    private const int CachedTables = 8;
    private readonly ConcurrentDictionary<string, DriftTable> _tables = new(StringComparer.Ordinal);

    /// <summary>The table and the data:/ URI it came from.</summary>
    public async Task<(DriftTable Table, string Uri)> LoadAsync(MonitorReference reference, string? modelName, long? modelVersion, CancellationToken ct)
    {
        var version = reference switch
        {
            MonitorReference.DataVersion v => v,
            _ => await TrainingDataAsync(modelName, modelVersion, ct),
        };
        var (stored, manifestBytes) = await data.GetManifestAsync(version.Name, version.Version, ct);
        var uri = $"data:/{stored.Name}@{stored.Version}";
        if (_tables.TryGetValue(stored.Digest, out var cached))
        {
            return (cached, uri);
        }

        var manifest = JsonSerializer.Deserialize<Keel.Data.DataManifest>(manifestBytes, DataStore.ManifestJson)!;
        var file = manifest.Files.FirstOrDefault(f => Path.GetExtension(f.Path).ToLowerInvariant() is ".csv" or ".parquet")
            ?? throw KeelException.InvalidParameter($"{uri} has no .csv or .parquet file to use as a reference.");
        var temp = Path.Combine(Path.GetTempPath(), "keel-reference-" + Guid.NewGuid().ToString("N") + Path.GetExtension(file.Path));
        try
        {
            await using (var output = File.Create(temp))
            {
                foreach (var chunk in file.Chunks)
                {
                    await output.WriteAsync(await data.ReadChunkAsync(chunk.Id, ct), ct);
                }
            }

            var table = await DriftTableReader.ReadAsync(temp, ct);
            if (_tables.Count >= CachedTables)
            {
                _tables.Clear();
            }

            _tables[stored.Digest] = table;
            return (table, uri);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The data:/ input the version's source run logged, preferring one whose context is "training".</summary>
    private async Task<MonitorReference.DataVersion> TrainingDataAsync(string? modelName, long? modelVersion, CancellationToken ct)
    {
        if (modelName is null || modelVersion is null)
        {
            throw KeelException.InvalidParameter("The reference is 'training', but the deployment has no served model version to take it from yet.");
        }

        var card = await lineage.GetCardAsync(modelName, modelVersion.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        var inputs = card.Run?.Datasets.Where(d => MonitorReference.Parse(d.Source) is MonitorReference.DataVersion).ToList() ?? [];
        var input = inputs.FirstOrDefault(d => d.Context == "training") ?? inputs.FirstOrDefault()
            ?? throw KeelException.InvalidParameter(
                $"The reference is 'training', but the source run of {modelName} version {modelVersion} logged no data:/ dataset input.");
        return (MonitorReference.DataVersion)MonitorReference.Parse(input.Source)!;
    }
}
