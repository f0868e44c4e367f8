using Keel.Cli.Demo;
using Microsoft.ML;

namespace Keel.Cli.Tests.Demo;

public class DelayModelTrainerTests(TrainedModelFixture trained) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void Train_SavesZipThatMlNetLoadsAndScores()
    {
        var ml = new MLContext();
        var model = ml.Model.Load(trained.Result.ModelPath, out _);
        using var engine = ml.Model.CreatePredictionEngine<FlightInput, FlightPrediction>(model);

        var predictions = trained.Split.Validation.Take(200).Select(f => engine.Predict(FlightInput.From(f))).ToList();

        Assert.All(predictions, p => Assert.InRange(p.Probability, 0f, 1f));
        Assert.All(predictions, p => Assert.Equal(p.Score > 0, p.PredictedLabel));
        Assert.True(predictions.Select(p => p.Probability).Distinct().Count() > 10, "the model should not score every flight alike");
        var reloaded = DelayModelTrainer.Evaluate(trained.Result.ModelPath, trained.Split.Validation);
        Assert.Equal(trained.Result.Validation.Auc, reloaded.Auc, 6);
        Assert.Equal(trained.Result.Validation.LogLoss, reloaded.LogLoss, 6);
    }

    [Fact]
    public void Train_OnJanuary_PredictsDelaysBetterThanChanceAndThanTheBaseRate()
    {
        var delayRate = trained.Split.Validation.Count(f => f.IsDelayed) / (double)trained.Split.Validation.Count;
        var baseRateLogLoss = -(delayRate * Math.Log2(delayRate)) - ((1 - delayRate) * Math.Log2(1 - delayRate));

        Assert.True(trained.Result.Validation.Auc > 0.6, $"validation AUC {trained.Result.Validation.Auc}");
        Assert.True(trained.Result.Validation.LogLoss < baseRateLogLoss - 0.01, $"log-loss {trained.Result.Validation.LogLoss} vs base rate {baseRateLogLoss}");
        Assert.Equal(16_000, trained.Result.TrainingRows);
        Assert.Equal(4_000, trained.Result.ValidationRows);
    }

    [Fact]
    public void Train_ReportsEachMetricOncePerStepInIncreasingOrder()
    {
        var expectedSteps = Enumerable.Range(1, 10).Select(i => (long)i * 10).ToList();
        string[] keys =
        [
            DelayModelTrainer.MetricValidationAuc,
            DelayModelTrainer.MetricValidationLogLoss,
            DelayModelTrainer.MetricValidationAccuracy,
            DelayModelTrainer.MetricTrainingLogLoss,
        ];

        Assert.Equal(keys.Order(), trained.Metrics.Select(m => m.Key).Distinct().Order());
        foreach (var key in keys)
        {
            Assert.Equal(expectedSteps, trained.Metrics.Where(m => m.Key == key).Select(m => m.Step));
        }

        Assert.Equal(expectedSteps, trained.Metrics.Select(m => m.Step).Distinct());
    }

    [Fact]
    public void Train_LearningCurveEndsAtTheSavedModelAndImprovesOnItsStart()
    {
        double At(string key, long step) => trained.Metrics.Single(m => m.Key == key && m.Step == step).Value;
        var last = trained.Configuration.NumberOfTrees;

        Assert.Equal(trained.Result.Validation.Auc, At(DelayModelTrainer.MetricValidationAuc, last), 6);
        Assert.Equal(trained.Result.Validation.LogLoss, At(DelayModelTrainer.MetricValidationLogLoss, last), 6);
        Assert.Equal(trained.Result.Validation.Accuracy, At(DelayModelTrainer.MetricValidationAccuracy, last), 6);
        Assert.True(At(DelayModelTrainer.MetricValidationAuc, last) > At(DelayModelTrainer.MetricValidationAuc, 10));
        Assert.True(At(DelayModelTrainer.MetricTrainingLogLoss, last) < At(DelayModelTrainer.MetricTrainingLogLoss, 10));
    }

    [Fact]
    public void Train_CurvePointMatchesAModelTrainedWithThatManyTrees()
    {
        var shorter = trained.Configuration with { NumberOfTrees = 30, EvaluateEvery = 30 };

        var result = DelayModelTrainer.Train(shorter, trained.Split, Path.Combine(trained.Folder, "30-trees.zip"));

        var point = trained.Metrics.Where(m => m.Step == 30).ToDictionary(m => m.Key, m => m.Value);
        Assert.Equal(result.Validation.Auc, point[DelayModelTrainer.MetricValidationAuc], 6);
        Assert.Equal(result.Validation.LogLoss, point[DelayModelTrainer.MetricValidationLogLoss], 6);
        Assert.Equal(result.Validation.Accuracy, point[DelayModelTrainer.MetricValidationAccuracy], 6);
    }

    [Fact]
    public void Evaluate_LaterMonth_ScoresTheDriftedBatchWithTheSavedModel()
    {
        var june = FlightsData.Load(FlightsSample.LaterMonthPath);

        var metrics = DelayModelTrainer.Evaluate(trained.Result.ModelPath, june.Rows);

        Assert.True(metrics.Auc > 0.55, $"June AUC {metrics.Auc}");
    }
}
