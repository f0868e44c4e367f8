using System.Text;
using Keel.Core.Artifacts;

namespace Keel.Server.Ui;

/// <summary>What the run page shows of one artifact: the start of a text file, an image, or a CSV file's first rows.</summary>
internal sealed record ArtifactPreview(string Path, string Kind, string? Text, IReadOnlyList<IReadOnlyList<string>> Rows, bool Truncated)
{
    public const int MaxBytes = 64 * 1024;
    public const int MaxRows = 20;

    private static readonly HashSet<string> Images = [".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"];
    private static readonly HashSet<string> Tables = [".csv", ".tsv"];
    private static readonly HashSet<string> Texts =
        [".txt", ".log", ".json", ".yaml", ".yml", ".md", ".py", ".cs", ".toml", ".ini", ".cfg", ".xml", ".html", ".sh", ".r", ".sql", ""];

    /// <summary>Reads at most <see cref="MaxBytes"/>; null for a file of a kind the page does not preview.</summary>
    public static async Task<ArtifactPreview?> ReadAsync(IArtifactStore store, string root, string path, CancellationToken ct)
    {
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (Images.Contains(extension))
        {
            return new ArtifactPreview(path, "image", null, [], false);
        }

        if (!Tables.Contains(extension) && !Texts.Contains(extension))
        {
            return null;
        }

        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        await using (var stream = await store.OpenReadAsync(root + "/" + path, ct))
        {
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), ct)) > 0)
            {
                length += read;
            }
        }

        var truncated = length > MaxBytes;
        var text = Encoding.UTF8.GetString(buffer, 0, Math.Min(length, MaxBytes));
        return Tables.Contains(extension)
            ? new ArtifactPreview(path, "table", null, CsvRows(text, extension == ".tsv" ? '\t' : ',', truncated), truncated)
            : new ArtifactPreview(path, "text", text, [], truncated);
    }

    /// <summary>The first rows of delimited text, with RFC 4180 quotes; a row cut off by the byte limit is dropped.</summary>
    private static List<IReadOnlyList<string>> CsvRows(string text, char delimiter, bool truncated)
    {
        var rows = new List<IReadOnlyList<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length && rows.Count <= MaxRows; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == delimiter)
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                row.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                rows.Add(row);
                row = [];
            }
            else
            {
                field.Append(c);
            }
        }

        if (!truncated && (row.Count > 0 || field.Length > 0) && rows.Count <= MaxRows)
        {
            row.Add(field.ToString().TrimEnd('\r'));
            rows.Add(row);
        }

        // The header plus MaxRows rows.
        return rows.Take(MaxRows + 1).ToList();
    }
}
