using System.Text.Json;

namespace Keel.Core.Tests.Monitoring;

/// <summary>Fixtures/scipy-vectors.json, written by scipy_vectors.py with Debian's SciPy.</summary>
internal static class ScipyVectors
{
    public static readonly JsonElement Root = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Monitoring", "Fixtures", "scipy-vectors.json"))).RootElement;

    public static IEnumerable<object[]> Cases(string section) =>
        Enumerable.Range(0, Root.GetProperty(section).GetArrayLength()).Select(i => new object[] { i });

    public static JsonElement Case(string section, int index) => Root.GetProperty(section)[index];

    public static double[] Sorted(string sampleName)
    {
        var values = Sample(sampleName);
        Array.Sort(values);
        return values;
    }

    public static double[] Sample(string sampleName) =>
        Root.GetProperty("samples").GetProperty(sampleName).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static long[] Longs(JsonElement array) => array.EnumerateArray().Select(v => v.GetInt64()).ToArray();
}
