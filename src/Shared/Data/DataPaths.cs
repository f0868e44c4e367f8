using System.Diagnostics.CodeAnalysis;

namespace Keel.Data;

/// <summary>
/// The rules for file paths inside a dataset version's manifest, checked by the server when a version is committed and
/// again by the client before it writes anything: a manifest must never be able to write outside the target directory.
/// </summary>
internal static class DataPaths
{
    /// <summary>Null when the path is acceptable, else why not.</summary>
    public static string? Problem(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "a file path is empty";
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return $"'{path}' contains a backslash; manifest paths use '/'";
        }

        if (path[0] == '/' || (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0])))
        {
            return $"'{path}' is absolute";
        }

        if (path.Any(char.IsControl))
        {
            return $"'{path}' contains a control character";
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return $"'{path}' has an empty, '.' or '..' segment";
            }

            if (segment.Contains(':', StringComparison.Ordinal))
            {
                // A drive-relative name (C:x) or an NTFS stream (a:stream) on Windows.
                return $"'{path}' contains ':'";
            }
        }

        return null;
    }

    /// <summary>A chunk id: the lowercase hex SHA-256 of the chunk's bytes.</summary>
    public static bool IsChunkId([NotNullWhen(true)] string? id) =>
        id is { Length: 64 } && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>Dataset names appear in references (NAME@VERSION) and in URLs; '@' and '/' would make those ambiguous.</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "The dataset name is empty."
        : name.Length > 256 ? "The dataset name is longer than 256 characters."
        : name.IndexOfAny(['@', '/', '\\']) >= 0 || name.Any(char.IsControl) ? $"Invalid dataset name '{name}': it must not contain '@', '/', '\\' or control characters."
        : null;

    /// <summary>Tags are looked up by the same reference syntax as versions, so they cannot look like one.</summary>
    public static string? TagProblem(string? tag) =>
        string.IsNullOrWhiteSpace(tag) ? "The tag is empty."
        : tag.Length > 256 ? "The tag is longer than 256 characters."
        : tag == "latest" || tag.All(char.IsAsciiDigit) ? $"Invalid tag '{tag}': 'latest' and numbers name versions."
        : tag.IndexOfAny(['@', '/', '\\']) >= 0 || tag.Any(char.IsControl) ? $"Invalid tag '{tag}': it must not contain '@', '/', '\\' or control characters."
        : null;
}
