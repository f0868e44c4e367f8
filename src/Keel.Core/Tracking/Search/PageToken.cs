using System.Text;
using System.Text.Json;

namespace Keel.Core.Tracking.Search;

/// <summary>
/// MLflow's SQL store page token: base64 of <c>{"offset": N}</c>. Clients treat it as opaque, but producing the
/// same bytes keeps tokens interchangeable with an MLflow server.
/// </summary>
internal static class PageToken
{
    public static string Encode(int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"offset\": {offset}}}"));
    }

    /// <summary>The offset a token stands for; 0 for no token.</summary>
    public static int Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        byte[] json;
        try
        {
            json = Convert.FromBase64String(token);
        }
        catch (FormatException)
        {
            throw KeelException.InvalidParameter($"Invalid page token '{token}': could not base64-decode it.");
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("offset", out var offset)
                && ReadOffset(offset) is { } value)
            {
                return value;
            }
        }
        catch (JsonException)
        {
            // Reported below together with the other malformed shapes.
        }

        throw KeelException.InvalidParameter($"Invalid page token '{token}': expected base64 of {{\"offset\": N}}.");
    }

    // MLflow accepts the offset as a number or a numeric string (it calls int() on it).
    private static int? ReadOffset(JsonElement offset)
    {
        if (offset.ValueKind == JsonValueKind.Number && offset.TryGetInt32(out var number))
        {
            return number >= 0 ? number : null;
        }

        if (offset.ValueKind == JsonValueKind.String && int.TryParse(offset.GetString(), out var parsed))
        {
            return parsed >= 0 ? parsed : null;
        }

        return null;
    }
}
