using System.Buffers;
using System.Text.Json;

namespace Keel.Bench.Tracking;

/// <summary>MLflow request bodies written straight to UTF-8, so building them costs the client almost nothing.</summary>
internal static class RequestBodies
{
    public sealed record Point(string Key, double Value, long Timestamp, long Step);

    public static byte[] LogBatch(
        string runId,
        IEnumerable<Point> metrics,
        IEnumerable<KeyValuePair<string, string>>? parameters = null,
        IEnumerable<KeyValuePair<string, string>>? tags = null)
    {
        var buffer = new ArrayBufferWriter<byte>(96 * 1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("run_id", runId);
            writer.WriteStartArray("metrics");
            foreach (var m in metrics)
            {
                writer.WriteStartObject();
                writer.WriteString("key", m.Key);
                writer.WriteNumber("value", m.Value);
                writer.WriteNumber("timestamp", m.Timestamp);
                writer.WriteNumber("step", m.Step);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteKeyValues(writer, "params", parameters);
            WriteKeyValues(writer, "tags", tags);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] LogMetric(string runId, Point point)
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("run_id", runId);
            writer.WriteString("key", point.Key);
            writer.WriteNumber("value", point.Value);
            writer.WriteNumber("timestamp", point.Timestamp);
            writer.WriteNumber("step", point.Step);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteKeyValues(Utf8JsonWriter writer, string name, IEnumerable<KeyValuePair<string, string>>? items)
    {
        if (items is null)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var (key, value) in items)
        {
            writer.WriteStartObject();
            writer.WriteString("key", key);
            writer.WriteString("value", value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
