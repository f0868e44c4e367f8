using System.Text.Json;

namespace Keel.Core.Tests.Evaluation;

/// <summary>Fixtures/sklearn-vectors.json, written by sklearn_vectors.py with Debian's scikit-learn.</summary>
internal static class SklearnVectors
{
    public static readonly JsonElement Root = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Evaluation", "Fixtures", "sklearn-vectors.json"))).RootElement;

    public static IEnumerable<object[]> Cases(string section) =>
        Root.GetProperty(section).EnumerateArray().Select((c, i) => new object[] { i, c.TryGetProperty("name", out var n) ? n.GetString()! : "" });

    public static JsonElement Case(string section, int index) => Root.GetProperty(section)[index];

    public static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetDouble())];

    public static int[] Ints(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetInt32())];

    public static bool[] Bools(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetInt32() == 1)];
}
