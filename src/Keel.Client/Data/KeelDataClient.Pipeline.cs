using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Keel.Client.Data;

namespace Keel.Client;

public sealed partial class KeelDataClient
{
    private const int AskBatch = 256;

    /// <summary>
    /// Chunks and hashes the files on every core while the chunks already cut are asked about and uploaded: ids flow through
    /// a channel to one asker, which sends them to <c>chunks/missing</c> in batches and hands the missing ones to
    /// <see cref="UploadParallelism"/> uploaders. An upload reads its chunk from the file again (just read, so from the page
    /// cache) rather than every chunk being held in memory, so only chunks the server lacks are read twice.
    /// </summary>
    private async Task<(LocalFile[] Files, long UploadedChunks, long UploadedBytes)> ChunkAndUploadAsync(
        List<(string FullPath, string Path)> sources, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ct = failed.Token;
        var cut = Channel.CreateUnbounded<(string FullPath, LocalChunk Chunk)>(new UnboundedChannelOptions { SingleReader = true });
        // Bounded, so the asker waits for the uploaders and batches grow while it does.
        var toUpload = Channel.CreateBounded<(string FullPath, LocalChunk Chunk)>(new BoundedChannelOptions(UploadParallelism * 4) { SingleWriter = true });
        var files = new LocalFile[sources.Count];
        long uploadedChunks = 0, uploadedBytes = 0;

        var chunking = Task.Run(async () =>
        {
            try
            {
                await Parallel.ForAsync(0, sources.Count, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount },
                    (i, _) =>
                    {
                        var fullPath = sources[i].FullPath;
                        files[i] = FileChunker.Chunk(fullPath, sources[i].Path, FastCdc.Default, chunk => cut.Writer.TryWrite((fullPath, chunk)));
                        return ValueTask.CompletedTask;
                    }).ConfigureAwait(false);
                cut.Writer.Complete();
            }
            catch (Exception e)
            {
                cut.Writer.Complete(e);
                throw;
            }
        }, ct);

        var asking = Task.Run(async () =>
        {
            try
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var batch = new List<(string FullPath, LocalChunk Chunk)>(AskBatch);
                while (await cut.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
                {
                    while (batch.Count < AskBatch && cut.Reader.TryRead(out var item))
                    {
                        if (seen.Add(item.Chunk.Id))
                        {
                            batch.Add(item);
                        }
                    }

                    if (batch.Count == 0)
                    {
                        continue;
                    }

                    var missing = (await MissingAsync(batch.Select(b => b.Chunk.Id), ct).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
                    foreach (var item in batch.Where(b => missing.Contains(b.Chunk.Id)))
                    {
                        await toUpload.Writer.WriteAsync(item, ct).ConfigureAwait(false);
                    }

                    batch.Clear();
                }

                toUpload.Writer.Complete();
            }
            catch (Exception e)
            {
                toUpload.Writer.Complete(e);
                throw;
            }
        }, ct);

        var uploading = Enumerable.Range(0, UploadParallelism).Select(_ => Task.Run(async () =>
        {
            await foreach (var (fullPath, chunk) in toUpload.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await UploadChunkAsync(fullPath, chunk, ct).ConfigureAwait(false);
                Interlocked.Increment(ref uploadedChunks);
                Interlocked.Add(ref uploadedBytes, chunk.Size);
            }
        }, ct));

        Task[] stages = [chunking, asking, .. uploading];
        try
        {
            await Task.WhenAll(stages.Select(async stage =>
            {
                try
                {
                    await stage.ConfigureAwait(false);
                }
                catch
                {
                    // One stage failing stops the others, which could otherwise wait on a channel forever.
                    await failed.CancelAsync().ConfigureAwait(false);
                    throw;
                }
            })).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The stage that failed first, not one that was cancelled because of it.
            var cause = stages.Where(s => s.IsFaulted).SelectMany(s => s.Exception!.InnerExceptions)
                .FirstOrDefault(e => e is not OperationCanceledException and not ChannelClosedException);
            if (cause is not null)
            {
                ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }

        return (files, uploadedChunks, uploadedBytes);
    }
}
