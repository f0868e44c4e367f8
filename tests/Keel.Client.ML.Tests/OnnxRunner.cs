using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Client.ML.Tests;

/// <summary>Scores <see cref="TinyModel.Row"/>s with ONNX Runtime, one [n, 1] tensor per graph input, as ML.NET exports them.</summary>
public static class OnnxRunner
{
    public static Dictionary<string, float[]> Run(string onnxFile, IReadOnlyList<TinyModel.Row> rows)
    {
        using var session = new InferenceSession(onnxFile);
        var inputs = session.InputMetadata.Select(input => input.Key switch
        {
            nameof(TinyModel.Row.Distance) => NamedOnnxValue.CreateFromTensor(input.Key, new DenseTensor<float>(rows.Select(r => r.Distance).ToArray(), [rows.Count, 1])),
            nameof(TinyModel.Row.Hour) => NamedOnnxValue.CreateFromTensor(input.Key, new DenseTensor<float>(rows.Select(r => r.Hour).ToArray(), [rows.Count, 1])),
            nameof(TinyModel.Row.Origin) => NamedOnnxValue.CreateFromTensor(input.Key, new DenseTensor<string>(rows.Select(r => r.Origin).ToArray(), [rows.Count, 1])),
            nameof(TinyModel.Row.Label) => NamedOnnxValue.CreateFromTensor(input.Key, new DenseTensor<bool>(rows.Select(r => r.Label).ToArray(), [rows.Count, 1])),
            _ => throw new InvalidOperationException($"Unexpected ONNX input {input.Key}."),
        }).ToList();

        using var results = session.Run(inputs);
        return results
            .Where(r => r.Value is Tensor<float>)
            .ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
    }
}
