using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Keel.Server.Tests.Infrastructure;

/// <summary>
/// A Keel server whose artifacts live in a real S3-compatible store: the Ceph radosgw that ./test
/// starts on loopback (KEEL_TEST_S3_ENDPOINT, credentials in the standard AWS variables). Each
/// fixture gets a bucket of its own.
/// </summary>
public sealed class S3KeelServerFixture : KeelServerFixture
{
    public static string Endpoint => Environment.GetEnvironmentVariable("KEEL_TEST_S3_ENDPOINT") ?? "http://127.0.0.1:7480";

    public string Bucket { get; } = "keel-test-" + Guid.NewGuid().ToString("N")[..12];

    public AmazonS3Client S3 { get; } = NewClient();

    /// <summary>A client of the test store, configured as radosgw needs.</summary>
    public static AmazonS3Client NewClient() => new(new AmazonS3Config
    {
        ServiceURL = Endpoint,
        ForcePathStyle = true,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    protected override IEnumerable<string> ExtraArguments =>
        ["--Artifacts:Root", $"s3://{Bucket}/artifacts", "--Artifacts:S3Endpoint", Endpoint];

    public override async Task InitializeAsync()
    {
        try
        {
            await S3.PutBucketAsync(Bucket);
        }
        catch (Exception e) when (e is HttpRequestException or AmazonServiceException)
        {
            throw new InvalidOperationException(
                $"No S3-compatible store answers at {Endpoint}: run the tests with ./test, which starts one (tests/infra/s3-up.sh).", e);
        }

        await base.InitializeAsync();
    }

    public async Task<List<string>> KeysAsync()
    {
        var response = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });
        return (response.S3Objects ?? []).Select(o => o.Key).ToList();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var key in await KeysAsync())
        {
            await S3.DeleteObjectAsync(Bucket, key);
        }

        await S3.DeleteBucketAsync(Bucket);
        S3.Dispose();
    }
}
