using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Keel.Core.Webhooks;

/// <summary>What goes on the wire, as MLflow's mlflow/webhooks/delivery.py sends it.</summary>
internal static class WebhookPayload
{
    public const string DeliveryIdHeader = "X-MLflow-Delivery-Id";
    public const string TimestampHeader = "X-MLflow-Timestamp";
    public const string SignatureHeader = "X-MLflow-Signature";

    /// <summary>
    /// {"entity", "action", "timestamp", "data"}: the event, when the change happened (ISO 8601 UTC, where MLflow puts
    /// the time of sending), and the change's payload as the change log recorded it.
    /// </summary>
    public static string Body(WebhookEvent e, long timeMs, string dataJson)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("entity", e.Entity);
            writer.WriteString("action", e.Action);
            writer.WriteString("timestamp",
                DateTimeOffset.FromUnixTimeMilliseconds(timeMs).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture));
            writer.WritePropertyName("data");
            writer.WriteRawValue(dataJson);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>MLflow's signature: "v1," + base64(HMAC-SHA256(secret, "{delivery id}.{timestamp}.{body}")).</summary>
    public static string Sign(string secret, string deliveryId, string timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{deliveryId}.{timestamp}.{body}")));
}
