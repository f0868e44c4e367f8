using System.Globalization;
using System.Collections.Concurrent;
using Amazon.S3;
using Amazon.S3.Model;

namespace Keel.Server.Tests;

/// <summary>
/// Two Keel servers on one PostgreSQL database and one S3 bucket, each with its own writer, connection
/// pools and DI container: what two replicas behind a load balancer are. Every request goes through HTTP.
/// </summary>
public sealed class ReplicaFixture : IAsyncLifetime
{
    private readonly AmazonS3Client _s3 = S3KeelServerFixture.NewClient();
    private readonly string _bucket = "keel-replicas-" + Guid.NewGuid().ToString("N")[..12];
    private PostgresTestDatabase? _database;

    public Replica A { get; private set; } = null!;

    public Replica B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        await _s3.PutBucketAsync(_bucket);
        string[] shared =
        [
            "--Storage:Database", _database.ConnectionString,
            "--Artifacts:Root", $"s3://{_bucket}/artifacts", "--Artifacts:S3Endpoint", S3KeelServerFixture.Endpoint,
        ];
        // Started together, as a rollout starts them: both migrate the same empty database at once.
        A = new Replica(shared);
        B = new Replica(shared);
        await Task.WhenAll(A.InitializeAsync(), B.InitializeAsync());
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        var objects = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket });
        foreach (var o in objects.S3Objects ?? [])
        {
            await _s3.DeleteObjectAsync(_bucket, o.Key);
        }

        await _s3.DeleteBucketAsync(_bucket);
        _s3.Dispose();
        await _database!.DisposeAsync();
    }

    public sealed class Replica(string[] arguments) : KeelServerFixture
    {
        public MlflowApi Api => new(Http);

        protected override IEnumerable<string> ExtraArguments => arguments;
    }
}

public sealed class ReplicaTests(ReplicaFixture replicas) : IClassFixture<ReplicaFixture>
{
    private MlflowApi A => replicas.A.Api;

    private MlflowApi B => replicas.B.Api;

    [Fact]
    public async Task SameExperimentName_OnBothReplicasAtOnce_ExactlyOneWins()
    {
        for (var round = 0; round < 20; round++)
        {
            var name = $"race-{round}-{Guid.NewGuid():N}";
            var answers = await Task.WhenAll(
                A.PostAsync("/experiments/create", new { name }),
                B.PostAsync("/experiments/create", new { name }));

            Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
            var loser = Assert.Single(answers, a => a.Status != HttpStatusCode.OK);
            Assert.Contains("already exists", loser.Error(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ConcurrentLogBatch_ToOneRun_FromBothReplicas_LosesNothing()
    {
        var runId = await A.CreateRunAsync(await A.CreateExperimentAsync($"batch-{Guid.NewGuid():N}"));
        const int writersPerReplica = 4, batches = 25, points = 200;
        var writers = new[] { A, B }.SelectMany((api, r) => Enumerable.Range(0, writersPerReplica).Select(w => Task.Run(async () =>
        {
            for (var b = 0; b < batches; b++)
            {
                var first = ((((r * writersPerReplica) + w) * batches) + b) * points;
                // Every batch touches the same keys, so both replicas fight over the same latest_metrics rows.
                var metrics = Enumerable.Range(first, points)
                    .SelectMany(step => new[] { new { key = "loss", value = (double)step, timestamp = 1L, step = (long)step }, new { key = "acc", value = step / 2.0, timestamp = 1L, step = (long)step } })
                    .ToArray();
                var tags = new[] { new { key = $"writer-{r}-{w}", value = b.ToString(CultureInfo.InvariantCulture) } };
                var @params = new[] { new { key = $"p-{r}-{w}-{b}", value = "v" } };
                (await api.PostAsync("/runs/log-batch", new { run_id = runId, metrics, tags, @params })).Ok();
            }
        }))).ToArray();
        await Task.WhenAll(writers);

        const int total = 2 * writersPerReplica * batches * points;
        foreach (var api in new[] { A, B })
        {
            var loss = (await api.GetAsync($"/metrics/get-history?run_id={runId}&metric_key=loss")).Ok().Json["metrics"]!.AsArray();
            Assert.Equal(total, loss.Count);
            Assert.Equal(Enumerable.Range(0, total).Select(i => (long)i), loss.Select(m => (long)m!["step"]!).Order());

            var run = await api.GetRunAsync(runId);
            var latest = run["data"]!["metrics"]!.AsArray().ToDictionary(m => (string)m!["key"]!, m => (double)m!["value"]!);
            Assert.Equal(total - 1, latest["loss"]);
            Assert.Equal((total - 1) / 2.0, latest["acc"]);
            Assert.Equal(2 * writersPerReplica * batches, run["data"]!["params"]!.AsArray().Count);
            Assert.Equal((batches - 1).ToString(CultureInfo.InvariantCulture),
                (string)run["data"]!["tags"]!.AsArray().Single(t => (string)t!["key"]! == "writer-1-3")!["value"]!);
        }
    }

    [Fact]
    public async Task IdsCreatedOnBothReplicas_AreUnique()
    {
        var experiments = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? A : B).CreateExperimentAsync($"ids-{i}-{Guid.NewGuid():N}")));
        Assert.Equal(experiments.Length, experiments.Distinct().Count());

        var runs = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? A : B).CreateRunAsync(experiments[i])));
        Assert.Equal(runs.Length, runs.Distinct().Count());
    }

    [Fact]
    public async Task AChangeOnOneReplica_IsWhatTheOtherServesNext()
    {
        var exp = await A.CreateExperimentAsync($"fresh-{Guid.NewGuid():N}");
        var runId = await B.CreateRunAsync(exp);
        Assert.Equal(exp, (string)(await A.GetRunAsync(runId))["info"]!["experiment_id"]!);

        var renamed = $"renamed-{Guid.NewGuid():N}";
        (await A.PostAsync("/experiments/update", new { experiment_id = exp, new_name = renamed })).Ok();
        Assert.Equal(renamed, (string)(await B.GetAsync($"/experiments/get?experiment_id={exp}")).Ok().Json["experiment"]!["name"]!);

        (await B.PostAsync("/runs/delete", new { run_id = runId })).Ok();
        var refused = await A.PostAsync("/runs/log-metric", new { run_id = runId, key = "m", value = 1.0, timestamp = 1L });
        Assert.Contains("must be in the 'active' state", refused.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnArtifactUploadedThroughOneReplica_IsServedByTheOther()
    {
        var exp = await A.CreateExperimentAsync($"art-{Guid.NewGuid():N}");
        var runId = await A.CreateRunAsync(exp);
        var payload = new byte[1024 * 1024 + 5];
        Random.Shared.NextBytes(payload);
        using (var put = await replicas.A.Http.PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{exp}/{runId}/artifacts/model.bin", new ByteArrayContent(payload)))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var listed = (await B.GetAsync($"/artifacts/list?run_id={runId}")).Ok().Json["files"]!.AsArray();
        Assert.Equal(payload.Length, (long)Assert.Single(listed)!["file_size"]!);
        Assert.Equal(payload, await replicas.B.Http.GetByteArrayAsync($"/api/2.0/mlflow-artifacts/artifacts/{exp}/{runId}/artifacts/model.bin"));
    }
}
