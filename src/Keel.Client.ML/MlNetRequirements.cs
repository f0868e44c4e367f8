using System.Reflection;
using Microsoft.ML;

namespace Keel.Client.ML;

/// <summary>The NuGet packages an ML.NET model's transformers come from.</summary>
internal static class MlNetRequirements
{
    // These assemblies all ship in the Microsoft.ML package itself.
    private static readonly HashSet<string> InMicrosoftMl = new(StringComparer.Ordinal)
    {
        "Microsoft.ML", "Microsoft.ML.Core", "Microsoft.ML.Data", "Microsoft.ML.DataView", "Microsoft.ML.Transforms",
        "Microsoft.ML.StandardTrainers", "Microsoft.ML.KMeansClustering", "Microsoft.ML.PCA", "Microsoft.ML.CpuMath", "Microsoft.ML.Recommender",
    };

    public static IReadOnlyList<string> Of(ITransformer model)
    {
        var assemblies = new HashSet<Assembly> { typeof(MLContext).Assembly };
        Collect(model, assemblies);
        return [.. assemblies
            .Where(a => a.GetName().Name?.StartsWith("Microsoft.ML", StringComparison.Ordinal) == true)
            .Select(a => (Package: InMicrosoftMl.Contains(a.GetName().Name!) ? "Microsoft.ML" : a.GetName().Name!, Version: VersionOf(a)))
            .Distinct()
            .OrderBy(p => p.Package, StringComparer.Ordinal)
            .Select(p => $"{p.Package}=={p.Version}")];
    }

    public static string VersionOf(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }

    private static void Collect(ITransformer transformer, HashSet<Assembly> assemblies)
    {
        assemblies.Add(transformer.GetType().Assembly);
        if (transformer is IEnumerable<ITransformer> chain)
        {
            foreach (var inner in chain)
            {
                Collect(inner, assemblies);
            }
        }

        // Prediction transformers wrap a model parameters object from the trainer's package (FastTree, LightGbm...).
        var modelProperty = transformer.GetType().GetProperty("Model");
        if (modelProperty?.GetValue(transformer) is { } parameters)
        {
            assemblies.Add(parameters.GetType().Assembly);
        }
    }
}
