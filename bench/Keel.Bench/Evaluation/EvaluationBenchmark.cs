using System.Text.Json.Nodes;
using Keel.Bench.Reporting;
using Keel.Core.Evaluation;
using Keel.Core.Models;
using Keel.Core.Monitoring;
using Keel.Serving.Evaluation;
using Keel.Serving.Models;
using Microsoft.Data.Analysis;
using Microsoft.ML;
using Target = Keel.Core.Evaluation.Target;

namespace Keel.Bench.Evaluation;

/// <summary>
/// Issue 8's evaluation benchmark, computed in this process as <c>keel evaluate</c> computes it (the same ONNX loader,
/// table feed and evaluator; no server, no file reading): a logistic regression over 20 features, exported to ONNX,
/// scored on 1,000,000 generated rows with 5 slices and permutation importance over 20 features × 5 repeats.
/// Goal: ≤ 10 s.
/// </summary>
internal static class EvaluationBenchmark
{
    private const int Features = 20;
    private const int Repeats = 5;
    private static readonly string[] Regions = ["north", "south", "east", "west", "central"];

    public static async Task<BenchReport> RunAsync(bool quick, TextWriter progress, CancellationToken ct)
    {
        var rows = quick ? 100_000 : 1_000_000;
        var directory = Directory.CreateTempSubdirectory("keel-bench-evaluate-");
        try
        {
            await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] training and exporting the model on 20,000 rows...");
            using var model = TrainAndLoad(Path.Combine(directory.FullName, "model.onnx"));
            await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] warm-up on 20,000 rows...");
            Evaluate(model, Generate(20_000));
            ct.ThrowIfCancellationRequested();

            await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] generating {rows:#,0} rows x {Features} features...");
            var table = Generate(rows);
            GC.Collect();
            await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] evaluating...");
            var meter = PhaseMeter.StartInProcess();
            var (result, scoringSeconds) = Evaluate(model, table);
            var cost = meter.Stop();
            var verified = Verify(result);

            var parameters = new Dictionary<string, object>
            {
                ["rows"] = rows, ["features"] = Features, ["slices"] = Regions.Length, ["repeats"] = Repeats, ["cores"] = Environment.ProcessorCount,
                ["model"] = "ML.NET SDCA logistic regression exported to ONNX, run by ONNX Runtime",
            };
            var goal = new Reporting.Target("evaluation, 1M rows, 5 slices, importance 20 x 5", "s", HigherIsBetter: false, Goal: 10, Baseline: null).Check(cost.WallSeconds);
            List<Measurement> measurements =
            [
                new("evaluation", "feed the table, score, all metrics and curves, 5 slices with gaps and fairness, permutation importance (100 rescorings)",
                    parameters, cost.WallSeconds, "s", null, cost, verified, quick ? [] : [goal]),
                new("first scoring", "feed the table to the model and score every row once (the part before the metrics)",
                    parameters, scoringSeconds, "s", null, cost, "-", []),
                new("evaluation CPU", "CPU seconds of the bench process during the evaluation", parameters, cost.ClientCpuSeconds, "s", null, cost, "-", []),
            ];
            return new BenchReport(
                "evaluate",
                quick ? "quick" : "full",
                DateTimeOffset.UtcNow,
                MachineFacts.Current(ServerProcess.BuildConfiguration),
                new ServerFacts("none", "in process", "in memory", "No server: computed in the bench process as `keel evaluate` computes it, before it logs the run."),
                measurements,
                measurements.SelectMany(m => m.Goals).ToList(),
                new BaselineSection("no baseline measured; scikit-learn's permutation_importance on the same data was not run here", MeasuredInThisRun: false,
                    new Dictionary<string, double>()));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static (EvaluationResult Result, double ScoringSeconds) Evaluate(ServedModel model, DriftTable table)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var batch = TableScoring.Batch(model, table);
        var outputs = model.Predict(batch);
        var answers = TableScoring.Read(outputs, EvaluationTask.Binary);
        var scoring = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        var target = new Target(TableScoring.Labels(table.Column("label")!), null);
        var region = table.Column("region")!;
        var slices = new[] { new SliceColumn("region", [.. Enumerable.Range(0, region.Length).Select(region.Text)]) };
        var features = Enumerable.Range(0, Features).Select(f => model.Inputs.IndexOf(Name(f))).ToArray();
        var result = Evaluator.Evaluate(target, answers, slices, new EvaluationSettings(Repeats), null, [.. Enumerable.Range(0, Features).Select(Name)],
            (feature, sample, source) => TableScoring.Read(model.Predict(TableScoring.Shuffled(batch, features[feature], sample, source)), EvaluationTask.Binary));
        return (result, scoring);
    }

    /// <summary>The planted weights make f00 the most important feature and f19 (weight 0) noise.</summary>
    private static string Verify(EvaluationResult result)
    {
        var auc = result.Overall.Values["roc_auc"].Value ?? 0;
        if (auc < 0.8 || result.Importance[0].Feature != "f00" || Math.Abs(result.Importance.Single(i => i.Feature == "f19").Mean) > 0.01
            || result.Slices[0].Groups.Count != Regions.Length)
        {
            throw new BenchmarkException($"unexpected evaluation: ROC AUC {auc}, top feature {result.Importance[0].Feature}, {result.Slices[0].Groups.Count} slices.");
        }

        return $"ROC AUC {auc:0.###}; f00 ranks first, noise f19 within 0.01 of 0; {Regions.Length} slices";
    }

    private static string Name(int feature) => $"f{feature:00}";

    private static double Weight(int feature) => feature == Features - 1 ? 0 : 2.0 / (feature + 1);

    private static DriftTable Generate(int rows)
    {
        var random = new Random(8);
        var columns = new double[Features][];
        for (var f = 0; f < Features; f++)
        {
            columns[f] = new double[rows];
        }

        var labels = new double[rows];
        var regions = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            var z = 0.0;
            for (var f = 0; f < Features; f++)
            {
                var x = Math.Round(random.NextDouble() * 2 - 1, 4);
                columns[f][i] = x;
                z += Weight(f) * x;
            }

            regions[i] = random.Next(Regions.Length);
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z - 0.2 * regions[i])) ? 1 : 0;
        }

        return new DriftTable(rows, [
            .. Enumerable.Range(0, Features).Select(f => new TableColumn(Name(f), columns[f], null, [])),
            new TableColumn("region", new double[rows].Select(_ => double.NaN).ToArray(), regions, Regions),
            new TableColumn("label", labels, null, []),
        ]);
    }

    private static OnnxServedModel TrainAndLoad(string file)
    {
        var ml = new MLContext(seed: 1);
        var table = Generate(20_000);
        var frame = new DataFrame([
            .. Enumerable.Range(0, Features).Select(f => (DataFrameColumn)new SingleDataFrameColumn(Name(f), table.Column(Name(f))!.Numbers.Select(v => (float)v))),
            new BooleanDataFrameColumn("label", table.Column("label")!.Numbers.Select(v => v == 1)),
        ]);
        var model = ml.Transforms.Concatenate("Features", [.. Enumerable.Range(0, Features).Select(Name)])
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression("label", "Features"))
            .Fit(frame);
        using (var onnx = File.Create(file))
        {
            ml.Model.ConvertToOnnx(model, frame, onnx);
        }

        var inputs = new ModelSchema([.. Enumerable.Range(0, Features).Select(f => (SchemaSpec)new ColumnSpec(Name(f), "float")), new ColumnSpec("label", "boolean")]);
        var outputs = new ModelSchema([new ColumnSpec("PredictedLabel", "boolean"), new ColumnSpec("Score", "float"), new ColumnSpec("Probability", "float")]);
        return OnnxServedModel.Load(file, "bench", 1, new ModelSignature(inputs, outputs));
    }
}
