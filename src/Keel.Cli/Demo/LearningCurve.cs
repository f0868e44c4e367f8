using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Keel.Cli.Demo;

/// <summary>One point of a boosting learning curve: the model cut to its first <see cref="Trees"/> trees.</summary>
internal sealed record LearningCurvePoint(int Trees, DelayMetrics Validation, double TrainingLogLoss);

/// <summary>
/// Measures a trained FastTree ensemble at several tree counts without retraining.
/// </summary>
/// <remarks>
/// ML.NET cannot report metrics while it boosts, and boosting adds trees without changing the
/// earlier ones, so the model after k rounds is the sum of the first k trees. We read every
/// tree's output per row once and sum prefixes. FastTree's probability is a fixed sigmoid of
/// that sum (its slope comes from the learning rate, not from the data), so the trained
/// model's calibrator applies unchanged to every prefix.
/// </remarks>
internal static class LearningCurve
{
    const string TreeOutputs = "TreeOutputs";

    public static IEnumerable<LearningCurvePoint> Measure(
        MLContext ml,
        CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator> model,
        string featureColumn,
        IDataView training,
        IDataView validation,
        IEnumerable<int> steps)
    {
        var featurizer = ml.Transforms.FeaturizeByPretrainTreeEnsemble(new PretrainedTreeFeaturizationEstimator.Options
        {
            InputColumnName = featureColumn,
            ModelParameters = model.SubModel,
            TreesColumnName = TreeOutputs,
        }).Fit(training);
        var trainingRows = Scored.Read(featurizer.Transform(training), featureColumn);
        var validationRows = Scored.Read(featurizer.Transform(validation), featureColumn);

        var calibrator = ml.BinaryClassification.Calibrators
            .Platt(model.Calibrator.Slope, model.Calibrator.Offset, nameof(Scored.Row.Score))
            .Fit(ml.Data.LoadFromEnumerable(trainingRows.Rows));
        var treesSummed = 0;
        foreach (var step in steps)
        {
            trainingRows.AddTrees(treesSummed, step);
            validationRows.AddTrees(treesSummed, step);
            treesSummed = step;

            var validationMetrics = Evaluate(ml, calibrator.Transform(ml.Data.LoadFromEnumerable(validationRows.Rows)));
            var trainingMetrics = Evaluate(ml, calibrator.Transform(ml.Data.LoadFromEnumerable(trainingRows.Rows)));
            yield return new LearningCurvePoint(step, validationMetrics, trainingMetrics.LogLoss);
        }
    }

    static DelayMetrics Evaluate(MLContext ml, IDataView scored)
    {
        var m = ml.BinaryClassification.Evaluate(
            scored, nameof(Scored.Row.Label), nameof(Scored.Row.Score), "Probability", nameof(Scored.Row.PredictedLabel));
        return new DelayMetrics(m.AreaUnderRocCurve, m.LogLoss, m.Accuracy, m.F1Score);
    }

    /// <summary>Per-tree outputs of a set of rows and their running prefix sums.</summary>
    sealed class Scored(float[][] treeOutputs, Scored.Row[] rows)
    {
        public Row[] Rows => rows;

        // The feature column is asked for too, though unused: ML.NET's tree featurizer reads it
        // from its input cursor without declaring it, and fails when only its outputs are active.
        public static Scored Read(IDataView featurized, string featureColumn)
        {
            var schema = featurized.Schema;
            using var cursor = featurized.GetRowCursor([schema[TreeOutputs], schema[nameof(FlightInput.Label)], schema[featureColumn]]);
            var getOutputs = cursor.GetGetter<VBuffer<float>>(schema[TreeOutputs]);
            var getLabel = cursor.GetGetter<bool>(schema[nameof(FlightInput.Label)]);
            var outputs = new List<float[]>();
            var rows = new List<Row>();
            VBuffer<float> buffer = default;
            var label = false;
            while (cursor.MoveNext())
            {
                getOutputs(ref buffer);
                getLabel(ref label);
                outputs.Add(buffer.DenseValues().ToArray());
                rows.Add(new Row { Label = label });
            }

            return new Scored([.. outputs], [.. rows]);
        }

        public void AddTrees(int from, int to)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                for (var t = from; t < to; t++)
                {
                    rows[i].Score += treeOutputs[i][t];
                }

                // FastTree's prediction transformer labels a row positive when the raw score is above zero.
                rows[i].PredictedLabel = rows[i].Score > 0;
            }
        }

        public sealed class Row
        {
            public bool Label { get; set; }

            public float Score { get; set; }

            public bool PredictedLabel { get; set; }
        }
    }
}
