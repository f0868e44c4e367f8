using Microsoft.Extensions.FileSystemGlobbing;

namespace Keel.Pipelines.Spec;

/// <summary>The files a file input names: one file, a directory's files, or a glob, relative to the spec's folder.</summary>
internal static class InputFiles
{
    /// <summary>Absolute paths of the matching files, sorted so their hash does not depend on directory order.</summary>
    public static IReadOnlyList<string> Match(string directory, string source)
    {
        var path = Path.GetFullPath(source, directory);
        if (File.Exists(path))
        {
            return [path];
        }

        if (Directory.Exists(path))
        {
            return [.. Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
        }

        if (source.IndexOfAny(['*', '?']) < 0)
        {
            return [];
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(source);
        return [.. matcher.GetResultsInFullPath(directory).Order(StringComparer.Ordinal)];
    }

    public static bool IsGlob(string source) => source.IndexOfAny(['*', '?']) >= 0;
}
