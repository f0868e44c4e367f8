using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Keel.Cli.Demo;

/// <summary>Trains the "departs 15 minutes late or more" classifier for one sweep configuration.</summary>
internal static class DelayModelTrainer
{
    public const string MetricValidationAuc = "val_auc";
    public const string MetricValidationLogLoss = "val_log_loss";
    public const string MetricValidationAccuracy = "val_accuracy";
    public const string MetricTrainingLogLoss = "train_log_loss";

    const string Features = "Features";

    /// <summary>
    /// Trains, reports a learning curve through <paramref name="onMetric"/> (step = number of
    /// trees) and saves the final model as an ML.NET zip at <paramref name="modelPath"/>.
    /// </summary>
    public static TrainingResult Train(
        SweepConfiguration config,
        FlightSplit data,
        string modelPath,
        Action<string, double, long>? onMetric = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(config.NumberOfTrees, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(config.EvaluateEvery, 1);
        var stopwatch = Stopwatch.StartNew();
        var ml = new MLContext(seed: config.Seed);
        var training = ml.Data.LoadFromEnumerable(data.Training.Select(FlightInput.From));
        var validation = ml.Data.LoadFromEnumerable(data.Validation.Select(FlightInput.From));

        // Cached: the boosting rounds and the learning curve each read the features many times.
        var featurizer = BuildFeaturizer(ml).Fit(training);
        var trainingFeatures = ml.Data.Cache(featurizer.Transform(training));
        var validationFeatures = ml.Data.Cache(featurizer.Transform(validation));

        var trees = ml.BinaryClassification.Trainers.FastTree(Options(config)).Fit(trainingFeatures);
        var model = featurizer.Append(trees);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(modelPath))!);
        ml.Model.Save(model, training.Schema, modelPath);

        var curve = LearningCurve.Measure(ml, trees.Model, Features, trainingFeatures, validationFeatures, Steps(config));
        foreach (var point in curve)
        {
            cancellationToken.ThrowIfCancellationRequested();
            onMetric?.Invoke(MetricValidationAuc, point.Validation.Auc, point.Trees);
            onMetric?.Invoke(MetricValidationLogLoss, point.Validation.LogLoss, point.Trees);
            onMetric?.Invoke(MetricValidationAccuracy, point.Validation.Accuracy, point.Trees);
            onMetric?.Invoke(MetricTrainingLogLoss, point.TrainingLogLoss, point.Trees);
        }

        var final = Evaluate(ml, model, validation);
        return new TrainingResult(config, final, modelPath, data.Training.Count, data.Validation.Count, stopwatch.Elapsed);
    }

    /// <summary>Scores <paramref name="flights"/> with a saved model and measures it against their labels.</summary>
    public static DelayMetrics Evaluate(string modelPath, IEnumerable<FlightRecord> flights)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(modelPath, out _);
        return Evaluate(ml, model, ml.Data.LoadFromEnumerable(flights.Select(FlightInput.From)));
    }

    static EstimatorChain<ColumnConcatenatingTransformer> BuildFeaturizer(MLContext ml) =>
        ml.Transforms.Categorical.OneHotEncoding(
            [
                new InputOutputColumnPair("OriginCode", nameof(FlightInput.Origin)),
                new InputOutputColumnPair("DestinationCode", nameof(FlightInput.Destination)),
            ])
            .Append(ml.Transforms.Concatenate(
                Features,
                nameof(FlightInput.Hour),
                nameof(FlightInput.DayOfWeek),
                nameof(FlightInput.Distance),
                "OriginCode",
                "DestinationCode"));

    static FastTreeBinaryTrainer.Options Options(SweepConfiguration config) => new()
    {
        LabelColumnName = nameof(FlightInput.Label),
        FeatureColumnName = Features,
        NumberOfLeaves = config.NumberOfLeaves,
        LearningRate = config.LearningRate,
        NumberOfTrees = config.NumberOfTrees,
        MinimumExampleCountPerLeaf = config.MinimumExampleCountPerLeaf,
        Seed = config.Seed,
    };

    internal static IEnumerable<int> Steps(SweepConfiguration config)
    {
        for (var trees = config.EvaluateEvery; trees < config.NumberOfTrees; trees += config.EvaluateEvery)
        {
            yield return trees;
        }

        yield return config.NumberOfTrees;
    }

    static DelayMetrics Evaluate(MLContext ml, ITransformer model, IDataView data)
    {
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(data), nameof(FlightInput.Label));
        return new DelayMetrics(metrics.AreaUnderRocCurve, metrics.LogLoss, metrics.Accuracy, metrics.F1Score);
    }
}
