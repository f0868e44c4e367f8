using System.Globalization;
using Keel.Core.Evaluation;
using Keel.Core.Monitoring;
using Keel.Serving.Inputs;
using Keel.Serving.Models;

namespace Keel.Serving.Evaluation;

/// <summary>
/// Feeds a table (CSV or Parquet, as read for drift reports) to a served model and reads its answers as an
/// evaluation's predictions, so <c>keel evaluate</c> scores exactly what <c>keel serve</c> would answer.
/// </summary>
internal static class TableScoring
{
    // Output names of ML.NET's binary classifiers (and of their ONNX exports) and of skl2onnx's classifiers.
    private static readonly string[] ProbabilityOutputs = ["Probability", "probability", "probabilities", "output_probability"];
    private static readonly string[] LabelOutputs = ["PredictedLabel", "label", "output_label"];

    /// <exception cref="FormatException">The table lacks an input of the model, or a value does not fit its type.</exception>
    public static InputBatch Batch(ServedModel model, DriftTable table)
    {
        var rows = checked((int)table.Rows);
        var columns = new Column[model.Inputs.Fields.Count];
        for (var f = 0; f < columns.Length; f++)
        {
            var field = model.Inputs.Fields[f];
            if (field.IsTensor)
            {
                throw new FormatException($"The model takes input '{field.Name}' as a tensor of shape [{string.Join(", ", field.RowShape)}]; keel evaluate feeds models one column per input.");
            }

            var column = table.Column(field.Name) ?? throw new FormatException(
                $"The data has no column '{field.Name}', an input of the model (it has {string.Join(", ", table.Columns.Select(c => c.Name))}).");
            columns[f] = new Column(field.Name, field.Kind, [], Values(column, field.Kind, rows), rows);
        }

        return new InputBatch(columns, rows);
    }

    /// <summary>
    /// The sample rows of the batch (all when null), with one input's value of each taken from the row at the same
    /// position in <paramref name="source"/>: a permutation-importance shuffle. Untouched inputs are shared when
    /// every row is kept.
    /// </summary>
    public static InputBatch Shuffled(InputBatch batch, int field, int[]? sample, int[] source)
    {
        var columns = new Column[batch.Columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = c == field ? Gather(batch.Columns[c], source) : sample is null ? batch.Columns[c] : Gather(batch.Columns[c], sample);
        }

        return new InputBatch(columns, source.Length);
    }

    private static Column Gather(Column column, int[] rows)
    {
        var values = Array.CreateInstance(column.Values.GetType().GetElementType()!, rows.Length);
        switch (column.Values)
        {
            case float[] s: Gather(s, (float[])values, rows); break;
            case double[] s: Gather(s, (double[])values, rows); break;
            case int[] s: Gather(s, (int[])values, rows); break;
            case long[] s: Gather(s, (long[])values, rows); break;
            case bool[] s: Gather(s, (bool[])values, rows); break;
            case string[] s: Gather(s, (string[])values, rows); break;
            default: throw new InvalidOperationException($"Input '{column.Name}' has values of an unexpected type.");
        }

        return new Column(column.Name, column.Kind, column.RowShape, values, rows.Length);
    }

    /// <summary>A classifier answers with a probability or a predicted label; anything else answering one number a row is a regressor.</summary>
    public static EvaluationTask TaskOf(Column[] outputs) =>
        Find(outputs, ProbabilityOutputs) is not null || Find(outputs, LabelOutputs) is not null ? EvaluationTask.Binary : EvaluationTask.Regression;

    /// <exception cref="FormatException">The model's answers do not fit the task.</exception>
    public static ModelAnswers Read(Column[] outputs, EvaluationTask task)
    {
        if (task == EvaluationTask.Regression)
        {
            var value = outputs.FirstOrDefault(o => o.ElementsPerRow == 1 && o.Kind is ElementKind.Float or ElementKind.Double or ElementKind.Int32 or ElementKind.Int64)
                ?? throw new FormatException($"The model answers {Describe(outputs)}; a regressor needs one number a row.");
            return new ModelAnswers(null, null, Doubles(value));
        }

        double[]? probability = null;
        if (Find(outputs, ProbabilityOutputs) is { } p)
        {
            var all = Doubles(p);
            // A per-class probability vector (skl2onnx's "probabilities"): the positive class is the second.
            probability = p.ElementsPerRow switch
            {
                1 => all,
                2 => [.. Enumerable.Range(0, p.Rows).Select(r => all[r * 2 + 1])],
                _ => throw new FormatException($"Output '{p.Name}' has {p.ElementsPerRow} probabilities a row; keel evaluate handles binary classifiers."),
            };
        }

        bool[] labels;
        if (Find(outputs, LabelOutputs) is { } l && l.ElementsPerRow == 1)
        {
            labels = l.Values switch
            {
                bool[] b => b,
                _ => [.. Doubles(l).Select(v => v switch
                {
                    0 => false,
                    1 => true,
                    _ => throw new FormatException($"Output '{l.Name}' predicts {v.ToString(CultureInfo.InvariantCulture)}; keel evaluate handles binary classifiers (labels 0 and 1)."),
                })],
            };
        }
        else
        {
            labels = [.. probability!.Select(v => v >= 0.5)];
        }

        return new ModelAnswers(labels, probability, null);
    }

    /// <summary>The target column as binary labels: true/false, 1/0 (also 1.0/0.0), yes/no.</summary>
    /// <exception cref="FormatException">A row has no target or one that is not binary.</exception>
    public static bool[] Labels(TableColumn column)
    {
        var labels = new bool[column.Length];
        for (var row = 0; row < labels.Length; row++)
        {
            labels[row] = column.Text(row)?.Trim().ToLowerInvariant() switch
            {
                "1" or "true" or "yes" => true,
                "0" or "false" or "no" => false,
                null => throw new FormatException($"Row {row + 1} has no value in target column '{column.Name}'."),
                var other => throw new FormatException($"Target column '{column.Name}' holds '{other}' in row {row + 1}; a binary classifier's target is 0/1 or true/false."),
            };
        }

        return labels;
    }

    /// <summary>The target column as numbers.</summary>
    /// <exception cref="FormatException">A row has no number.</exception>
    public static double[] Numbers(TableColumn column)
    {
        for (var row = 0; row < column.Length; row++)
        {
            if (double.IsNaN(column.Numbers[row]))
            {
                throw new FormatException($"Target column '{column.Name}' has no number in row {row + 1} ('{column.Text(row)}').");
            }
        }

        return column.Numbers;
    }

    private static Column? Find(Column[] outputs, string[] names) =>
        names.Select(n => outputs.FirstOrDefault(o => o.Name == n)).FirstOrDefault(o => o is not null);

    private static string Describe(Column[] outputs) => string.Join(", ", outputs.Select(o => $"{o.Name} ({o.Kind}, {o.ElementsPerRow} a row)"));

    private static double[] Doubles(Column column) => column.Values switch
    {
        float[] f => [.. f.Select(v => (double)v)],
        double[] d => d,
        int[] i => [.. i.Select(v => (double)v)],
        long[] l => [.. l.Select(v => (double)v)],
        bool[] b => [.. b.Select(v => v ? 1.0 : 0.0)],
        _ => throw new FormatException($"Output '{column.Name}' is not numeric."),
    };

    private static Array Values(TableColumn column, ElementKind kind, int rows)
    {
        switch (kind)
        {
            case ElementKind.String:
                var text = new string[rows];
                for (var r = 0; r < rows; r++)
                {
                    text[r] = column.Text(r) ?? "";
                }

                return text;
            case ElementKind.Bool:
                var flags = new bool[rows];
                for (var r = 0; r < rows; r++)
                {
                    flags[r] = column.Text(r)?.Trim().ToLowerInvariant() switch
                    {
                        "1" or "true" => true,
                        "0" or "false" or null => false,
                        var other => throw new FormatException($"Column '{column.Name}' holds '{other}' in row {r + 1}; the model wants a boolean."),
                    };
                }

                return flags;
        }

        var numbers = column.Numbers;
        for (var r = 0; r < rows; r++)
        {
            if (double.IsNaN(numbers[r]) && column.Codes is { } codes && codes[r] >= 0)
            {
                throw new FormatException($"Column '{column.Name}' holds '{column.Text(r)}' in row {r + 1}; the model wants a number.");
            }
        }

        return kind switch
        {
            ElementKind.Float => numbers.Select(v => (float)v).ToArray(),
            ElementKind.Double => numbers.ToArray(),
            ElementKind.Int32 => numbers.Select(v => (int)v).ToArray(),
            _ => numbers.Select(v => (long)v).ToArray(),
        };
    }

    private static void Gather<T>(T[] source, T[] target, int[] rows)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            target[i] = source[rows[i]];
        }
    }
}
