namespace Keel.Core.Artifacts;

/// <summary>
/// Turns a path taken from a request into one that cannot leave its root. Path traversal through
/// artifact paths was a real class of MLflow CVEs, so anything ambiguous is refused, not repaired.
/// </summary>
internal static class ArtifactPath
{
    public static string Normalize(string? path)
    {
        var value = path ?? "";
        // Requests arrive decoded once; decoding again catches double-encoded dots and slashes.
        var decoded = Uri.UnescapeDataString(value);
        if (decoded.Contains('\\') || decoded.Contains('\0') || decoded.Contains(':') ||
            decoded.StartsWith('/') || decoded.StartsWith('~') || value.StartsWith('/'))
        {
            throw Unsafe(value);
        }

        var segments = decoded.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or ".."))
        {
            throw Unsafe(value);
        }

        return string.Join('/', segments);
    }

    /// <summary>The file-system path of <paramref name="relative"/> under <paramref name="root"/>, verified to stay inside it.</summary>
    public static string Resolve(string root, string relative)
    {
        var normalized = Normalize(relative);
        var fullRoot = Path.GetFullPath(root);
        var full = Path.GetFullPath(Path.Combine(fullRoot, normalized));
        if (full != fullRoot && !full.StartsWith(fullRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw Unsafe(relative);
        }

        return full;
    }

    private static KeelException Unsafe(string path) =>
        KeelException.InvalidParameter($"Invalid path '{path}': artifact paths must be relative and must not contain '..', '.', backslashes or drive letters.");
}
