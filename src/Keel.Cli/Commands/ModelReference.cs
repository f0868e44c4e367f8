using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary>
/// How model versions are named on the command line: <c>name/3</c>, <c>name@alias</c>, <c>name/Production</c>,
/// <c>name/latest</c>, or the same as a <c>models:/</c> URI. A bare <c>name</c> names the model itself where a
/// command allows it. Malformed text is a <see cref="FormatException"/>, which commands answer with exit code 2.
/// </summary>
internal static class ModelReference
{
    public const string HelpName = "MODEL";

    public const string Forms = "name/VERSION, name@ALIAS, name/STAGE, name/latest, or the same as a models:/ URI";

    /// <summary>The version reference as a <c>models:/</c> URI; throws <see cref="FormatException"/> when it is not one.</summary>
    public static ModelUri ParseVersion(string text) =>
        TryParse(text, out var uri, out _) && uri is not null
            ? uri
            : throw new FormatException($"'{text}' does not name a model version. Use {Forms}.");

    /// <summary>A version reference, or a bare model name (<paramref name="modelName"/>) when the text has no '/' or '@'.</summary>
    public static bool TryParse(string text, out ModelUri? uri, out string? modelName)
    {
        (uri, modelName) = (null, null);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (text.StartsWith(ModelUri.Scheme, StringComparison.Ordinal))
        {
            return ModelUri.TryParse(text, out uri);
        }

        if (!text.Contains('/', StringComparison.Ordinal) && !text.Contains('@', StringComparison.Ordinal))
        {
            modelName = text;
            return true;
        }

        return ModelUri.TryParse(ModelUri.Scheme + text, out uri);
    }

    /// <summary>A short label for a version: <c>name/3</c>.</summary>
    public static string Label(string name, long version) => $"{name}/{version}";
}
