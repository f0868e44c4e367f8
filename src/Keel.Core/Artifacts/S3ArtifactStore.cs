using System.Buffers;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace Keel.Core.Artifacts;

/// <summary>
/// Artifacts as objects in an S3-compatible bucket. Uploads stream through one part-sized buffer:
/// small artifacts go in one PUT, larger ones as a multipart upload, so server memory stays bounded
/// whatever the artifact's size; downloads stream the object's body as the client reads it.
/// </summary>
internal sealed class S3ArtifactStore : IArtifactStore, IDisposable
{
    private const int PartSize = 8 * 1024 * 1024;

    private readonly AmazonS3Client _s3;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3ArtifactStore(IOptions<ArtifactStoreOptions> options)
    {
        var o = options.Value;
        (_bucket, _prefix) = o.S3Location;
        var config = new AmazonS3Config
        {
            // Path-style addressing and checksums only when required are what non-AWS stores
            // (Ceph radosgw among them) accept; AWS accepts them too.
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            AuthenticationRegion = o.S3Region,
        };
        if (!string.IsNullOrEmpty(o.S3Endpoint))
        {
            config.ServiceURL = o.S3Endpoint;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(o.S3Region);
        }

        _s3 = new AmazonS3Client(config);
    }

    public async Task WriteAsync(string path, Stream content, CancellationToken ct)
    {
        var normalized = ArtifactPath.Normalize(path);
        if (normalized.Length == 0)
        {
            throw KeelException.InvalidParameter($"Invalid path '{path}': it names a directory.");
        }

        var key = Key(normalized);

        var buffer = ArrayPool<byte>.Shared.Rent(PartSize);
        try
        {
            var filled = await FillAsync(content, buffer, ct);
            if (filled < PartSize)
            {
                using var body = new MemoryStream(buffer, 0, filled, writable: false);
                await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = body, UseChunkEncoding = false, AutoCloseStream = false }, ct);
                return;
            }

            await UploadMultipartAsync(key, content, buffer, filled, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task UploadMultipartAsync(string key, Stream content, byte[] buffer, int filled, CancellationToken ct)
    {
        var upload = await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, ct);
        try
        {
            var parts = new List<PartETag>();
            while (filled > 0)
            {
                using var body = new MemoryStream(buffer, 0, filled, writable: false);
                var part = await _s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartNumber = parts.Count + 1,
                    InputStream = body,
                    PartSize = filled,
                    UseChunkEncoding = false,
                }, ct);
                parts.Add(new PartETag(parts.Count + 1, part.ETag));
                filled = await FillAsync(content, buffer, ct);
            }

            await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartETags = parts,
            }, ct);
        }
        catch
        {
            // An incomplete upload is invisible to readers; aborting frees its parts.
            await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId }, CancellationToken.None);
            throw;
        }
    }

    public Task CheckAsync(CancellationToken ct) =>
        _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = DirectoryPrefix(""), MaxKeys = 1 }, ct);

    public async Task<Stream> OpenReadAsync(string path, CancellationToken ct)
    {
        try
        {
            var response = await _s3.GetObjectAsync(_bucket, Key(ArtifactPath.Normalize(path)), ct);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw KeelException.NotFound($"No artifact found at '{path}'.");
        }
    }

    public async Task DeleteAsync(string path, CancellationToken ct)
    {
        var normalized = ArtifactPath.Normalize(path);
        var key = Key(normalized);
        if (normalized.Length > 0 && await ExistsAsync(key, ct))
        {
            await _s3.DeleteObjectAsync(_bucket, key, ct);
            return;
        }

        var keys = new List<string>();
        await foreach (var o in ObjectsUnderAsync(DirectoryPrefix(normalized), delimiter: null, ct))
        {
            keys.AddRange(o.Files.Select(f => f.Key));
        }

        if (keys.Count == 0 || normalized.Length == 0)
        {
            throw KeelException.NotFound($"No artifact found at '{path}'.");
        }

        foreach (var chunk in keys.Chunk(1000))
        {
            await _s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = _bucket, Objects = chunk.Select(k => new KeyVersion { Key = k }).ToList() }, ct);
        }
    }

    public async Task<List<ArtifactEntry>> ListAsync(string path, string relativeTo, CancellationToken ct)
    {
        var dir = DirectoryPrefix(ArtifactPath.Normalize(path));
        var baseDir = DirectoryPrefix(ArtifactPath.Normalize(relativeTo));
        var entries = new List<ArtifactEntry>();
        await foreach (var page in ObjectsUnderAsync(dir, "/", ct))
        {
            entries.AddRange(page.Directories.Select(p => new ArtifactEntry(p[baseDir.Length..].TrimEnd('/'), true, null)));
            entries.AddRange(page.Files.Where(f => f.Key != dir).Select(f => new ArtifactEntry(f.Key[baseDir.Length..], false, f.Size)));
        }

        return entries.OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
    }

    private async IAsyncEnumerable<(List<string> Directories, List<S3Object> Files)> ObjectsUnderAsync(
        string prefix, string? delimiter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, Delimiter = delimiter };
        ListObjectsV2Response response;
        do
        {
            response = await _s3.ListObjectsV2Async(request, ct);
            yield return (response.CommonPrefixes ?? [], response.S3Objects ?? []);
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);
    }

    private async Task<bool> ExistsAsync(string key, CancellationToken ct)
    {
        try
        {
            await _s3.GetObjectMetadataAsync(_bucket, key, ct);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private string Key(string normalized) => _prefix.Length == 0 ? normalized : $"{_prefix}/{normalized}";

    private string DirectoryPrefix(string normalized) =>
        normalized.Length == 0 ? (_prefix.Length == 0 ? "" : _prefix + "/") : Key(normalized) + "/";

    private static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        int read;
        while (filled < PartSize && (read = await content.ReadAsync(buffer.AsMemory(filled, PartSize - filled), ct)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    public void Dispose() => _s3.Dispose();
}
