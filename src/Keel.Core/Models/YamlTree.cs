using Keel.Formats;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keel.Core.Models;

/// <summary>
/// YAML as MLflow reads it: PyYAML's <c>safe_load</c> (plain scalars resolved to null, bool, int, float;
/// everything else a string; timestamps stay strings, MLflow quotes <c>utc_time_created</c> anyway).
/// Mappings load as <see cref="OrderedDictionary{TKey, TValue}"/>, sequences as <see cref="List{T}"/>,
/// so flavors nobody here knows survive a load and a save. <see cref="Dump"/> writes with
/// <see cref="YamlWriter"/>, as PyYAML's <c>safe_dump</c> would.
/// </summary>
internal static class YamlTree
{
    public static object? Load(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException($"Not valid YAML: {e.Message}", e);
        }

        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    public static string Dump(object? value) => YamlWriter.Write(value);

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => ConvertMapping(map),
        YamlSequenceNode seq => seq.Children.Select(Convert).ToList(),
        YamlScalarNode scalar => scalar.Style is ScalarStyle.Plain ? YamlWriter.Resolve(scalar.Value ?? "") : scalar.Value ?? "",
        _ => throw new FormatException($"Unsupported YAML node at {node.Start}."),
    };

    private static OrderedDictionary<string, object?> ConvertMapping(YamlMappingNode map)
    {
        var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Children)
        {
            var name = Convert(key)?.ToString() ?? "null";
            if (!result.TryAdd(name, Convert(value)))
            {
                throw new FormatException($"Duplicate key '{name}' at {key.Start}.");
            }
        }

        return result;
    }

}
