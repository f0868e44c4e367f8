using System.Security.Cryptography;
using System.Text;
using Keel.Core.Storage;

namespace Keel.Core.Audit;

/// <summary>Where the chain's key comes from: configuration, else a file generated once beside the embedded database.</summary>
internal static class AuditKey
{
    public const int MinimumLength = 32;

    public static byte[] Resolve(AuditOptions audit, StorageOptions storage)
    {
        if (!string.IsNullOrEmpty(audit.Key))
        {
            return Encoding.UTF8.GetBytes(audit.Key);
        }

        var path = Path.Combine(Path.GetFullPath(storage.DataDirectory), AuditOptions.KeyFileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                // Written with mode 0600 from the start, never readable by others even briefly; CreateNew so two
                // processes starting on one directory keep whichever key was written first.
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var file = new FileStream(path, options);
                file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
            }
            catch (IOException) when (File.Exists(path))
            {
            }
        }

        return Encoding.UTF8.GetBytes(File.ReadAllText(path).Trim());
    }
}
