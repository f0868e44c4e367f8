using Keel.Core.Registry;

namespace Keel.Server.Ui;

/// <summary>Registry reads the model pages share.</summary>
internal static class RegistryQueries
{
    /// <summary>A name as a string literal of the registry's filter grammar, in whichever quote it does not contain.</summary>
    public static string Literal(string name) => name.Contains('\'') ? $"\"{name}\"" : $"'{name}'";

    public static async Task<IReadOnlyList<ModelVersion>> VersionsAsync(RegistryStore registry, string name, CancellationToken ct) =>
        (await registry.SearchModelVersionsAsync($"name = {Literal(name)}", 200, ["version_number DESC"], null, ct: ct)).Items;
}
