namespace Keel.Core.Models;

/// <summary>
/// MLmodel's <c>saved_input_example_info</c>: where the example is (<c>input_example.json</c>) and how it
/// is encoded. <c>dataframe</c> examples are pandas JSON (<see cref="PandasOrient"/> <c>split</c>:
/// <c>{"columns": [...], "data": [[...]]}</c>, or <c>values</c>: <c>{"data": [[...]]}</c>); <c>ndarray</c>
/// examples are TF-serving JSON (<c>{"inputs": ...}</c>, <see cref="Format"/> <c>tf-serving</c>).
/// <see cref="ServingInputPath"/> names MLflow 2.17+'s ready-to-send request body (<c>serving_input_example.json</c>).
/// </summary>
internal sealed record InputExampleInfo(
    string ArtifactPath,
    string Type,
    string? PandasOrient = null,
    string? Format = null,
    string? ServingInputPath = null,
    bool HasParams = false)
{
    public const string DefaultFileName = "input_example.json";
    public const string ServingInputFileName = "serving_input_example.json";

    public static InputExampleInfo FromMapping(IReadOnlyDictionary<string, object?> info)
    {
        var path = info.GetValueOrDefault("artifact_path") as string ?? throw new FormatException("saved_input_example_info.artifact_path is missing.");
        var type = info.GetValueOrDefault("type") as string ?? throw new FormatException("saved_input_example_info.type is missing.");
        // MLflow writes the flag as the string "true".
        var hasParams = info.GetValueOrDefault("params") is true or "true" or "True";
        return new InputExampleInfo(path, type, info.GetValueOrDefault("pandas_orient") as string, info.GetValueOrDefault("format") as string,
            info.GetValueOrDefault("serving_input_path") as string, hasParams);
    }

    public OrderedDictionary<string, object?> ToMapping()
    {
        var map = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["artifact_path"] = ArtifactPath, ["type"] = Type };
        if (PandasOrient is not null)
        {
            map["pandas_orient"] = PandasOrient;
        }

        if (Format is not null)
        {
            map["format"] = Format;
        }

        if (ServingInputPath is not null)
        {
            map["serving_input_path"] = ServingInputPath;
        }

        if (HasParams)
        {
            map["params"] = "true";
        }

        return map;
    }
}
