using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Keel.Serving.Batching;
using Keel.Serving.Inputs;
using Keel.Serving.Models;
using Keel.Serving.PredictionLog;
using Keel.Serving.Shadow;
using Keel.Serving.Traffic;
using Microsoft.AspNetCore.Http;

namespace Keel.Serving;

/// <summary>
/// Answers one scoring request with a serving target: parse against the picked model's signature, score through the
/// batcher, write the predictions, then (off the response path) queue them for the prediction log and the shadow.
/// Shared by <c>keel serve</c>'s <c>/invocations</c> and the server's <c>/deployments/{name}/invocations</c>.
/// </summary>
internal sealed class Scorer(Batcher batcher, PredictionLogger log, ShadowScorer shadows, ServingMetrics metrics, TrafficRecorder traffic)
{
    private const int MaxBody = 64 * 1024 * 1024;

    public async Task ScoreAsync(HttpContext http, ServingTarget target)
    {
        var started = Stopwatch.GetTimestamp();
        var requestKey = RequestKey(http.Request);
        var model = target.Pick(requestKey);
        var modelMetrics = metrics.For(model);
        InputBatch input;
        batcher.Arriving();
        byte[]? body = null;
        try
        {
            int length;
            (body, length) = await ReadBodyAsync(http.Request);
            input = Parse(http.Request.ContentType, body.AsMemory(0, length), model.Inputs);
        }
        catch (ScoringException e)
        {
            batcher.Arrived();
            modelMetrics.Errors(e.Status == StatusCodes.Status415UnsupportedMediaType ? "UNSUPPORTED_MEDIA_TYPE" : "BAD_REQUEST").Inc();
            Failed(target, model);
            await ScoringEndpoints.WriteErrorAsync(http, e.Status, e.Message);
            return;
        }
        finally
        {
            if (body is not null)
            {
                ArrayPool<byte>.Shared.Return(body);
            }
        }

        Task<Scored> scoring;
        try
        {
            scoring = batcher.ScoreAsync(model, input);
        }
        finally
        {
            batcher.Arrived();
        }

        Scored scored;
        try
        {
            scored = await scoring;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            modelMetrics.Errors("INTERNAL_ERROR").Inc();
            Failed(target, model);
            await ScoringEndpoints.WriteErrorAsync(http, StatusCodes.Status500InternalServerError, "The model failed to score the request: " + e.Message, "INTERNAL_ERROR");
            return;
        }

        var ids = new Guid[input.Rows];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = Guid.CreateVersion7();
        }

        var response = http.Response;
        response.Headers[ScoringEndpoints.PredictionIdHeader] = ids.Length == 1 ? ids[0].ToString() : string.Join(',', ids);
        response.Headers[ScoringEndpoints.ModelVersionHeader] = model.Version.ToString(CultureInfo.InvariantCulture);
        response.ContentType = "application/json";
        WritePredictions(response.BodyWriter, model, scored);
        await response.BodyWriter.FlushAsync();

        var elapsed = Stopwatch.GetElapsedTime(started);
        modelMetrics.Requests.Inc();
        modelMetrics.Latency.Observe(elapsed.TotalSeconds);
        if (target.Deployment is { } deployment)
        {
            traffic.Answered(deployment, model, elapsed);
        }

        // A shadow's answers exist only in the log, so with the log off there is nothing more to do.
        if (!log.Enabled)
        {
            return;
        }

        // A request without a key is logged under its first prediction id, so its shadow answers pair with it.
        var logKey = requestKey ?? ids[0].ToString();
        log.Enqueue(new LogEntry(model, target.Deployment, target.Revision, input, scored, ids, logKey,
            (long)(elapsed.Ticks / (double)TimeSpan.TicksPerMicrosecond), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        if (target.Shadow is { } shadow)
        {
            shadows.Enqueue(new ShadowRequest(shadow, target.Deployment, target.Revision, input, logKey));
        }
    }

    private void Failed(ServingTarget target, ServedModel model)
    {
        if (target.Deployment is { } deployment)
        {
            traffic.Failed(deployment, model);
        }
    }

    private static string? RequestKey(HttpRequest request) =>
        request.Headers.TryGetValue(ScoringEndpoints.RequestKeyHeader, out var key) && key.Count > 0 ? key[0] : null;

    private static InputBatch Parse(string? contentType, ReadOnlyMemory<byte> body, InputSchema schema)
    {
        var mediaType = contentType is null ? "" : contentType.Split(';', 2)[0].Trim();
        return mediaType.ToLowerInvariant() switch
        {
            "application/json" => JsonScoringParser.Parse(body, schema),
            "text/csv" => CsvScoringParser.Parse(body, schema),
            _ => throw new ScoringException(
                $"This predictor only supports the following content types: types ['text/csv', 'application/json']. Got '{contentType}'.",
                StatusCodes.Status415UnsupportedMediaType),
        };
    }

    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpRequest request)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 4096, MaxBody) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= MaxBody)
                    {
                        throw new ScoringException($"The request body is larger than {MaxBody / (1024 * 1024)} MB.", StatusCodes.Status413PayloadTooLarge);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length));
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static void WritePredictions(IBufferWriter<byte> output, ServedModel model, Scored scored)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        if (model.AnswersInRecords)
        {
            writer.WriteStartArray("predictions");
            for (var row = scored.Offset; row < scored.Offset + scored.Rows; row++)
            {
                writer.WriteStartObject();
                foreach (var column in scored.Outputs)
                {
                    writer.WritePropertyName(column.Name);
                    ColumnJson.WriteRow(writer, column, row);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteStartObject("predictions");
            foreach (var column in scored.Outputs)
            {
                writer.WriteStartArray(column.Name);
                for (var row = scored.Offset; row < scored.Offset + scored.Rows; row++)
                {
                    ColumnJson.WriteRow(writer, column, row);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
