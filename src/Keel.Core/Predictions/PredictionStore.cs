using System.Data.Common;
using System.Text.Json;
using Keel.Core.Storage;

namespace Keel.Core.Predictions;

/// <summary>
/// The prediction log: append-only, written in batches through the group-commit <see cref="WriteQueue"/>, read in
/// pages for monitoring. The SQL runs unchanged on SQLite and PostgreSQL.
/// </summary>
internal sealed class PredictionStore(Database database, WriteQueue writes)
{
    public const int MaxBatch = 10_000;
    private const int DefaultResults = 1000;
    private const int MaxResults = 10_000;
    private const string Columns =
        "prediction_id, model_name, model_version, deployment, revision, request_key, inputs, outputs, latency_micros, time, shadow";

    // ON CONFLICT makes a re-sent batch (the serving host retries after a timeout) add nothing twice.
    private const string Insert =
        "INSERT INTO predictions(prediction_id, model_name, model_version, deployment, revision, request_key, inputs, outputs, latency_micros, time, shadow) " +
        "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10) ON CONFLICT (prediction_id) DO NOTHING";

    /// <summary>Appends the batch in one transaction; returns how many rows were new.</summary>
    public Task<int> AppendAsync(IReadOnlyList<Prediction> batch, CancellationToken ct = default)
    {
        if (batch.Count > MaxBatch)
        {
            throw KeelException.InvalidParameter($"A batch holds at most {MaxBatch} predictions, but got {batch.Count}.");
        }

        for (var i = 0; i < batch.Count; i++)
        {
            Validate(batch[i], i);
        }

        return writes.ExecuteAsync(ctx =>
        {
            var added = 0;
            foreach (var p in batch)
            {
                added += ctx.Execute(Insert, p.PredictionId, p.ModelName, p.ModelVersion, p.Deployment, p.Revision, p.RequestKey,
                    p.Inputs.GetRawText(), p.Outputs.GetRawText(), p.LatencyMicros, p.Time, p.Shadow);
            }

            return added;
        }, ct);
    }

    /// <summary>Rows after the cursor <paramref name="after"/>, oldest first, optionally of one model (and version).</summary>
    public async Task<PredictionPage> ReadAsync(string? model, long? version, long? after, long? maxResults, CancellationToken ct = default)
    {
        var max = maxResults ?? DefaultResults;
        if (max <= 0 || max > MaxResults)
        {
            throw KeelException.InvalidParameter($"max_results must be between 1 and {MaxResults}, but got {max}.");
        }

        var sql = $"SELECT seq, {Columns} FROM predictions WHERE seq > @p0" +
            (model is null ? "" : " AND model_name = @p2") +
            (version is null ? "" : " AND model_version = @p3") +
            " ORDER BY seq LIMIT @p1";
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.AddParameter("@p0", after ?? 0);
        command.AddParameter("@p1", max + 1);
        if (model is not null)
        {
            command.AddParameter("@p2", model);
        }

        if (version is not null)
        {
            command.AddParameter("@p3", version.Value);
        }

        var items = new List<Prediction>();
        long? next = null;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (items.Count == max)
            {
                break;
            }

            next = reader.GetInt64(0);
            items.Add(Read(reader, 1));
        }

        return new PredictionPage(items, items.Count == max ? next : null);
    }

    /// <summary>One logged prediction by its id; RESOURCE_DOES_NOT_EXIST if the log has none.</summary>
    public async Task<Prediction> GetAsync(string predictionId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM predictions WHERE prediction_id = @p0";
        command.AddParameter("@p0", predictionId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? Read(reader, 0)
            : throw KeelException.NotFound($"No prediction with id '{predictionId}' in the prediction log.");
    }

    private static Prediction Read(DbDataReader reader, int at) => new(
        reader.GetString(at), reader.GetString(at + 1), reader.GetInt64(at + 2), reader.GetNullableString(at + 3),
        reader.GetNullableInt64(at + 4), reader.GetNullableString(at + 5),
        Parse(reader.GetString(at + 6)), Parse(reader.GetString(at + 7)), reader.GetInt64(at + 8), reader.GetInt64(at + 9), reader.GetBoolean(at + 10));

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static void Validate(Prediction p, int index)
    {
        if (!Guid.TryParse(p.PredictionId, out _))
        {
            throw KeelException.InvalidParameter($"predictions[{index}].prediction_id must be a UUID, but got '{p.PredictionId}'.");
        }

        if (string.IsNullOrWhiteSpace(p.ModelName))
        {
            throw KeelException.InvalidParameter($"predictions[{index}].model_name is required.");
        }

        if (p.ModelVersion <= 0)
        {
            throw KeelException.InvalidParameter($"predictions[{index}].model_version must be positive, but got {p.ModelVersion}.");
        }

        if (p.Inputs.ValueKind != JsonValueKind.Object || p.Outputs.ValueKind is JsonValueKind.Undefined)
        {
            throw KeelException.InvalidParameter($"predictions[{index}] needs inputs (a JSON object) and outputs.");
        }
    }
}
