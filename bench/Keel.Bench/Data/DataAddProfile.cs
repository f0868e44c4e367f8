using System.Buffers;
using System.Security.Cryptography;
using Keel.Bench.Reporting;
using Keel.Client.Data;

namespace Keel.Bench.Data;

/// <summary>
/// Where a first add's time goes on the client: the same files read on every core (as the add reads them) with nothing
/// else, with SHA-256 only, with FastCDC only, and chunked and hashed as the add does. What the first add takes beyond
/// the last of these is asking, uploading and the server's storing and committing.
/// </summary>
internal static class DataAddProfile
{
    private const int BlockBytes = 8 * 1024 * 1024;

    public static List<Measurement> Run(ServerProcess server, List<string> files, double megabytes, IReadOnlyDictionary<string, object> parameters)
    {
        return
        [
            Measure(server, "add profile: read", "every file read in 8 MiB blocks on every core, nothing else", files, megabytes, parameters, static (_, _) => { }),
            Measure(server, "add profile: read + SHA-256", "as read, hashing each file whole with SHA256 on spans", files, megabytes, parameters,
                static (hash, block) => hash!.AppendData(block)),
            Measure(server, "add profile: read + FastCDC", "as read, cutting chunks with FastCDC (no hashing)", files, megabytes, parameters,
                static (_, block) => CutAll(block)),
            Measure(server, "add profile: chunk + hash", "FileChunker.Chunk on every core: what the client computes in an add", files, megabytes, parameters, null),
        ];
    }

    private static void CutAll(ReadOnlySpan<byte> block)
    {
        // Block boundaries shift the cuts slightly; the work per byte is what is measured.
        while (block.Length > 0)
        {
            block = block[FastCdc.Default.Cut(block)..];
        }
    }

    private delegate void BlockWork(IncrementalHash? hash, ReadOnlySpan<byte> block);

    private static Measurement Measure(ServerProcess server, string name, string workload, List<string> files, double megabytes,
        IReadOnlyDictionary<string, object> parameters, BlockWork? work)
    {
        var meter = PhaseMeter.Start(server);
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, file =>
        {
            if (work is null)
            {
                FileChunker.Chunk(file, Path.GetFileName(file), FastCdc.Default);
                return;
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
                int read;
                while ((read = stream.Read(buffer, 0, BlockBytes)) > 0)
                {
                    work(hash, buffer.AsSpan(0, read));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });
        var cost = meter.Stop();
        return new Measurement(name, workload, parameters, megabytes / cost.WallSeconds, "MB/s", null, cost, "-", []);
    }
}
