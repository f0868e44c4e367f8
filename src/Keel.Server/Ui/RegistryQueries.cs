using Keel.Core.Deployments;
using Keel.Core.Registry;

namespace Keel.Server.Ui;

/// <summary>Registry reads the model pages share.</summary>
internal static class RegistryQueries
{
    /// <summary>A name as a string literal of the registry's filter grammar, in whichever quote it does not contain.</summary>
    public static string Literal(string name) => name.Contains('\'') ? $"\"{name}\"" : $"'{name}'";

    public static async Task<IReadOnlyList<ModelVersion>> VersionsAsync(RegistryStore registry, string name, CancellationToken ct) =>
        (await registry.SearchModelVersionsAsync($"name = {Literal(name)}", 200, ["version_number DESC"], null, ct: ct)).Items;

    /// <summary>
    /// Deployments whose primary or canary model names this version directly (models:/name/3) or through one of its
    /// aliases (models:/name@champion). Stage URIs are left out: which version a stage means moves with every transition.
    /// </summary>
    public static IReadOnlyList<(Deployment Deployment, string Role)> DeploymentsOf(IEnumerable<Deployment> deployments, ModelVersion version)
    {
        var result = new List<(Deployment, string)>();
        foreach (var deployment in deployments)
        {
            var spec = deployment.Latest.Spec;
            if (Names(spec.Model, version))
            {
                result.Add((deployment, "primary"));
            }

            if (spec.Canary is { } canary && Names(canary.Model, version))
            {
                result.Add((deployment, $"canary {canary.Percent}%"));
            }
        }

        return result;
    }

    private static bool Names(string uri, ModelVersion version)
    {
        try
        {
            return ModelUri.Parse(uri) switch
            {
                ModelUri.ModelVersion v => v.Name == version.Name && v.Version == version.Version,
                ModelUri.ModelAlias a => a.Name == version.Name && version.Aliases.Contains(a.Alias),
                _ => false,
            };
        }
        catch (Keel.Core.KeelException)
        {
            return false;
        }
    }
}
