using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Core;

namespace Keel.Server.Mlflow;

/// <summary>
/// Reads an MLflow request message from a JSON body (POST) or the query string (GET), the two ways
/// MLflow's handlers accept. Anything unreadable becomes INVALID_PARAMETER_VALUE, never a 500.
/// </summary>
internal static class MlflowRequest
{
    public static async Task<T> ReadBodyAsync<T>(HttpRequest request, CancellationToken ct)
        where T : new()
    {
        if (request.ContentLength == 0)
        {
            return new T();
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, MlflowJson.Options, ct) ?? new T();
        }
        catch (JsonException e)
        {
            throw KeelException.InvalidParameter(Describe(e));
        }
    }

    /// <summary>Builds the message from query parameters; <paramref name="repeated"/> names the list fields.</summary>
    public static T ReadQuery<T>(HttpRequest request, params string[] repeated)
        where T : new()
    {
        var message = new JsonObject();
        foreach (var (key, values) in request.Query)
        {
            message[key] = repeated.Contains(key)
                ? new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray())
                : JsonValue.Create(values.ToString());
        }

        try
        {
            return message.Deserialize<T>(MlflowJson.Options) ?? new T();
        }
        catch (JsonException e)
        {
            throw KeelException.InvalidParameter(Describe(e));
        }
    }

    public static T Require<T>(T? value, string field)
        where T : class =>
        value is string { Length: 0 } || value is null
            ? throw KeelException.InvalidParameter($"Missing value for required parameter '{field}'.")
            : value;

    public static T Require<T>(T? value, string field)
        where T : struct =>
        value ?? throw KeelException.InvalidParameter($"Missing value for required parameter '{field}'.");

    // System.Text.Json names CLR types in its messages; a client needs the field and what was wrong with it.
    private static string Describe(JsonException e) => e.Path is { Length: > 1 } path && e.InnerException is null && e.Message.Contains("could not be converted", StringComparison.Ordinal)
        ? $"Invalid value for parameter '{path.TrimStart('$', '.')}': the value has the wrong type."
        : $"Malformed JSON request body: {FirstSentence(e.Message)}";

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
