using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Keel.Core.Tracking;

namespace Keel.Server.Mlflow;

/// <summary>
/// JSON as MLflow's server writes it (protobuf JSON): snake_case names, int64 as numbers, NaN and
/// infinities as strings, and default values — nulls and empty lists — left out.
/// </summary>
internal static class MlflowJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            // Messages quote names with '; this is an API, not HTML, so there is nothing to escape them for.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Protobuf's JSON mapping accepts int64 and doubles as strings, and "NaN"/"Infinity".
            NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SkipEmptyCollections } },
        };
        options.Converters.Add(new ViewTypeConverter());
        options.MakeReadOnly();
        return options;
    }

    private static void SkipEmptyCollections(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            if (property.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(property.PropertyType))
            {
                property.ShouldSerialize = static (_, value) => value is not ICollection { Count: 0 };
            }
        }
    }

    /// <summary>Protobuf enums arrive as names or numbers (ACTIVE_ONLY = 1, DELETED_ONLY = 2, ALL = 3).</summary>
    private sealed class ViewTypeConverter : JsonConverter<ViewType>
    {
        public override ViewType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType switch
            {
                JsonTokenType.Number => reader.GetInt32() switch
                {
                    1 => ViewType.ActiveOnly,
                    2 => ViewType.DeletedOnly,
                    3 => ViewType.All,
                    var n => throw new JsonException($"Unknown view type {n}."),
                },
                JsonTokenType.String => reader.GetString()?.ToUpperInvariant() switch
                {
                    "ACTIVE_ONLY" or "1" => ViewType.ActiveOnly,
                    "DELETED_ONLY" or "2" => ViewType.DeletedOnly,
                    "ALL" or "3" => ViewType.All,
                    var s => throw new JsonException($"Unknown view type '{s}'; expected ACTIVE_ONLY, DELETED_ONLY or ALL."),
                },
                _ => throw new JsonException("A view type must be a string or a number."),
            };

        public override void Write(Utf8JsonWriter writer, ViewType value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value switch
            {
                ViewType.DeletedOnly => "DELETED_ONLY",
                ViewType.All => "ALL",
                _ => "ACTIVE_ONLY",
            });
    }
}
