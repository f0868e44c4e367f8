using Keel.Client;

namespace Keel.Pipelines.Execution;

// Outputs and the cache: a successful step's outputs are artifacts of its run, found again by its cache key.
internal sealed partial class StepRunner
{
    /// <summary>The run that first produced a successful result for this key, or null.</summary>
    private async Task<Run?> FindCachedAsync(string key, string currentRunId, CancellationToken cancellationToken)
    {
        var query = new RunQuery
        {
            ExperimentIds = [context.ExperimentId],
            Filter = $"tags.`{StepTags.CacheKey}` = '{key}' AND attributes.status = 'FINISHED'",
            OrderBy = ["attributes.start_time ASC"],
            MaxResults = 10,
        };
        var page = await Client.SearchRunsAsync(query, cancellationToken);
        var found = page.Items.FirstOrDefault(r => r.Info.RunId != currentRunId);
        if (found is null)
        {
            return null;
        }

        // A hit's outputs live in the run it reused; follow the link so they are fetched from where they are.
        var original = found.Data.Tags.FirstOrDefault(t => t.Key == StepTags.CacheHit)?.Value;
        return original is null ? found : await Client.GetRunAsync(original, cancellationToken);
    }

    private async Task<StepResult> ReuseAsync(Spec.StepSpec step, string runId, Run original, CancellationToken cancellationToken)
    {
        var workDirectory = context.StepDirectory(step.Name);
        Directory.CreateDirectory(workDirectory);
        var tags = original.Data.Tags.ToDictionary(t => t.Key, t => t.Value);
        var outputs = new Dictionary<string, (string Path, string Digest)>();
        foreach (var (name, relative) in step.Outputs)
        {
            var local = Path.GetFullPath(relative, workDirectory);
            var artifact = StepTags.OutputArtifact(name);
            var files = await ListFilesAsync(original.Info.RunId, artifact, cancellationToken);
            if (tags.GetValueOrDefault(StepTags.OutputKind(name)) == "file")
            {
                await Client.DownloadArtifactAsync(original.Info.RunId, files.Single(), local, cancellationToken);
            }
            else
            {
                Directory.CreateDirectory(local);
                foreach (var file in files)
                {
                    await Client.DownloadArtifactAsync(original.Info.RunId, file, Path.Combine(local, file[(artifact.Length + 1)..]), cancellationToken);
                }
            }

            outputs[name] = (local, Digests.OfPath(local));
        }

        // The original's metrics are copied so conditions and comparisons read the hit like the run it stands for.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var resultTags = outputs.SelectMany(o => new[] { new Tag(StepTags.OutputDigest(o.Key), o.Value.Digest), new Tag(StepTags.OutputKind(o.Key), tags.GetValueOrDefault(StepTags.OutputKind(o.Key)) ?? "dir") })
            .Append(new Tag(StepTags.CacheHit, original.Info.RunId));
        await Client.LogBatchAsync(runId, original.Data.Metrics.Select(m => m with { Timestamp = now }), [], resultTags, cancellationToken);
        return await EndAsync(step, runId, StepState.CacheHit, outputs, $"reused run {original.Info.RunId}", null);
    }

    private async Task<List<string>> ListFilesAsync(string runId, string path, CancellationToken cancellationToken)
    {
        var files = new List<string>();
        foreach (var entry in (await Client.ListArtifactsAsync(runId, path, cancellationToken)).Files)
        {
            if (entry.IsDir)
            {
                files.AddRange(await ListFilesAsync(runId, entry.Path, cancellationToken));
            }
            else
            {
                files.Add(entry.Path);
            }
        }

        return files;
    }

    private async Task<Dictionary<string, (string Path, string Digest)>> UploadOutputsAsync(
        string runId, IReadOnlyDictionary<string, string> outputs, CancellationToken cancellationToken)
    {
        var recorded = new Dictionary<string, (string Path, string Digest)>();
        var tags = new List<Tag>();
        foreach (var (name, path) in outputs)
        {
            var isFile = File.Exists(path);
            if (isFile)
            {
                await Client.UploadArtifactAsync(runId, path, StepTags.OutputArtifact(name), cancellationToken);
            }
            else
            {
                await Client.UploadArtifactsAsync(runId, path, StepTags.OutputArtifact(name), cancellationToken);
            }

            recorded[name] = (path, Digests.OfPath(path));
            tags.Add(new Tag(StepTags.OutputKind(name), isFile ? "file" : "dir"));
            tags.Add(new Tag(StepTags.OutputDigest(name), recorded[name].Digest));
        }

        if (tags.Count > 0)
        {
            await Client.LogBatchAsync(runId, [], [], tags, cancellationToken);
        }

        return recorded;
    }
}
