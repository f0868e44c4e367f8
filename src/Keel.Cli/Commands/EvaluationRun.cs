using System.Text;
using Keel.Client;
using Keel.Core.Evaluation;

namespace Keel.Cli.Commands;

/// <summary>
/// Logs an evaluation as a run: the metrics under the names gates read, the tags linking model, data and baseline,
/// the dataset input, evaluation.json and report.html; then tags the model version with the run's id.
/// </summary>
internal static class EvaluationRun
{
    public const string EvaluationTag = "keel.evaluation";
    public const string ModelTag = "keel.evaluation.model";
    public const string ModelUriTag = "keel.evaluation.model_uri";
    public const string DataTag = "keel.evaluation.data";
    public const string BaselineTag = "keel.evaluation.baseline";
    public const string RunIdTag = "keel.evaluation.run_id";

    public static async Task<string> LogAsync(KeelClient client, EvaluationRequest request, ModelEvaluation evaluation, CancellationToken ct)
    {
        var experimentId = await ExperimentIdAsync(client, request.Experiment, ct);
        var subject = evaluation.Subject;
        var tags = new Dictionary<string, string>
        {
            [EvaluationTag] = "true",
            [ModelTag] = subject.Model,
            [ModelUriTag] = request.Model,
            [DataTag] = subject.Data,
        };
        if (subject.Baseline is not null)
        {
            tags[BaselineTag] = subject.Baseline;
        }

        var run = await client.CreateRunAsync(experimentId, $"evaluate {evaluation.Version.Name} v{evaluation.Version.Version}", null, tags, ct);
        var runId = run.Info.RunId;
        try
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await client.LogBatchAsync(runId, evaluation.Result.LoggedMetrics().Select(m => new Metric(m.Key, m.Value, now)), cancellationToken: ct);
            if (evaluation.DatasetUri is not null)
            {
                await client.Data.LogInputAsync(runId, evaluation.DatasetUri[EvaluateCommand.DataPrefix.Length..], "evaluation", ct);
            }

            var directory = Directory.CreateTempSubdirectory("keel-evaluation-");
            try
            {
                var json = Path.Combine(directory.FullName, "evaluation.json");
                await using (var file = File.Create(json))
                {
                    EvaluationJson.Write(file, evaluation.Result, subject);
                }

                var html = Path.Combine(directory.FullName, "report.html");
                await File.WriteAllTextAsync(html, EvaluationHtml.Render(evaluation.Result, subject), Encoding.UTF8, ct);
                await client.UploadArtifactAsync(runId, json, "evaluation", ct);
                await client.UploadArtifactAsync(runId, html, "evaluation", ct);
            }
            finally
            {
                directory.Delete(recursive: true);
            }

            await client.SetModelVersionTagAsync(evaluation.Version.Name, evaluation.Version.Version, RunIdTag, runId, ct);
            await client.UpdateRunAsync(runId, RunStatus.Finished, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), cancellationToken: ct);
        }
        catch
        {
            // A run that stopped half-way is marked failed, so nobody gates on its partial metrics.
            await client.UpdateRunAsync(runId, RunStatus.Failed, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), cancellationToken: CancellationToken.None);
            throw;
        }

        return runId;
    }

    private static async Task<string> ExperimentIdAsync(KeelClient client, string name, CancellationToken ct)
    {
        try
        {
            return (await client.GetExperimentByNameAsync(name, ct)).ExperimentId;
        }
        catch (KeelApiException e) when (e.ErrorCode == KeelErrorCodes.ResourceDoesNotExist)
        {
            try
            {
                return await client.CreateExperimentAsync(name, cancellationToken: ct);
            }
            catch (KeelApiException again) when (again.ErrorCode == KeelErrorCodes.ResourceAlreadyExists)
            {
                return (await client.GetExperimentByNameAsync(name, ct)).ExperimentId;
            }
        }
    }
}
