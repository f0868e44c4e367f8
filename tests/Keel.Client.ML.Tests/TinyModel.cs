using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keel.Client.ML.Tests;

/// <summary>A real, small ML.NET model (one-hot + logistic regression) trained on made-up but learnable data.</summary>
public sealed class TinyModel
{
    public sealed class Row
    {
        public float Distance { get; set; }

        public float Hour { get; set; }

        public string Origin { get; set; } = "";

        public bool Label { get; set; }
    }

    public sealed class Prediction
    {
        public bool PredictedLabel { get; set; }

        public float Score { get; set; }

        public float Probability { get; set; }
    }

    public TinyModel()
    {
        var random = new Random(7);
        string[] origins = ["ORD", "ATL", "SEA", "DEN"];
        var rows = Enumerable.Range(0, 400).Select(_ =>
        {
            var row = new Row { Distance = random.Next(100, 2500), Hour = random.Next(5, 23), Origin = origins[random.Next(origins.Length)] };
            row.Label = row.Hour / 23f + (row.Origin == "ORD" ? 0.4f : 0f) + (float)random.NextDouble() * 0.5f > 0.9f;
            return row;
        }).ToList();

        Data = Ml.Data.LoadFromEnumerable(rows);
        Samples = rows.Take(8).ToList();
        Model = Ml.Transforms.Categorical.OneHotEncoding("OriginCode", nameof(Row.Origin))
            .Append(Ml.Transforms.Concatenate("Features", nameof(Row.Distance), nameof(Row.Hour), "OriginCode"))
            .Append(Ml.Transforms.NormalizeMinMax("Features"))
            .Append(Ml.BinaryClassification.Trainers.SdcaLogisticRegression(nameof(Row.Label), "Features"))
            .Fit(Data);
    }

    public MLContext Ml { get; } = new(seed: 1);

    public IDataView Data { get; }

    public ITransformer Model { get; }

    public IReadOnlyList<Row> Samples { get; }

    public static float[] Scores(MLContext ml, ITransformer model, IEnumerable<Row> rows) =>
        [.. ml.Data.CreateEnumerable<Prediction>(model.Transform(ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false).Select(p => p.Score)];

    public string ExportOnnx(string path)
    {
        using var file = File.Create(path);
        Ml.Model.ConvertToOnnx(Model, Data, file);
        return path;
    }
}
