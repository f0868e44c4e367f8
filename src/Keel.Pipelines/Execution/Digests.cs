using System.Security.Cryptography;
using System.Text;

namespace Keel.Pipelines.Execution;

/// <summary>SHA-256 digests of files and directory trees, as lowercase hex.</summary>
internal static class Digests
{
    public static string OfText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>A file's digest, or for a directory the digest over its files' relative paths and digests.</summary>
    public static string OfPath(string path)
    {
        if (File.Exists(path))
        {
            return OfFile(path);
        }

        var tree = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            tree.Append(Path.GetRelativePath(path, file).Replace('\\', '/')).Append('\0').Append(OfFile(file)).Append('\n');
        }

        return OfText(tree.ToString());
    }
}
