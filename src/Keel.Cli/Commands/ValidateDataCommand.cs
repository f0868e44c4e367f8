using System.CommandLine;
using Keel.Client;
using Keel.Core.DataValidation;
using Keel.Core.Monitoring;

namespace Keel.Cli.Commands;

/// <summary>
/// <c>keel validate-data --data FILE|data:/NAME@VERSION --against data:/NAME@VERSION|schema.json [--target COL]
/// [--out report.json] [--run RUN_ID] [--json]</c>: checks data against a reference version's stored profile or a
/// schema file; exits <see cref="ExitCodes.DataValidationFailed"/> on violations.
/// </summary>
internal sealed class ValidateDataCommand : KeelCommand
{
    private const string DataScheme = "data:/";

    private static readonly Option<string> DataOption = new("--data") { Description = "The data to check: a .csv or .parquet file, or data:/NAME@VERSION holding one table.", Required = true };

    private static readonly Option<string> AgainstOption = new("--against") { Description = "The reference: data:/NAME@VERSION (its stored profile) or a schema.json file.", Required = true };

    private static readonly Option<string?> TargetOption = new("--target") { Description = "The label column whose distribution shift is tested (PSI, chi-square)." };

    private static readonly Option<FileInfo?> OutOption = new("--out") { Description = "Also write the JSON report to this file." };

    private static readonly Option<string?> RunOption = new("--run") { Description = "Tag this run keel.data_validation = passed|failed and log the report as its artifact data_validation/report.json." };

    private static readonly Option<double?> MaxMissingOption = new("--max-missing-share") { Description = "The largest share of missing values per column (overrides the reference's)." };

    private static readonly Option<double?> MaxDuplicateOption = new("--max-duplicate-share") { Description = "The largest share of duplicate rows (default 0.05 against a profile)." };

    public ValidateDataCommand()
        : base("validate-data", "Check data against a reference profile or schema: columns, types, nulls, ranges, categories, duplicates, missing rates, label shift (exit code 20 on violations).")
    {
        Options.Add(DataOption);
        Options.Add(AgainstOption);
        Options.Add(TargetOption);
        Options.Add(OutOption);
        Options.Add(RunOption);
        Options.Add(MaxMissingOption);
        Options.Add(MaxDuplicateOption);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var data = parseResult.GetRequiredValue(DataOption);
        var against = parseResult.GetRequiredValue(AgainstOption);
        if (new[] { parseResult.GetValue(MaxMissingOption), parseResult.GetValue(MaxDuplicateOption) }.Any(v => v is not (null or (>= 0 and <= 1))))
        {
            output.Error("--max-missing-share and --max-duplicate-share are shares between 0 and 1.");
            return ExitCodes.InvalidArguments;
        }

        var scratch = Directory.CreateTempSubdirectory("keel-validate-");
        try
        {
            var dataFile = data.StartsWith(DataScheme, StringComparison.Ordinal)
                ? await DownloadTableAsync(client, data[DataScheme.Length..], Path.Combine(scratch.FullName, "data"), cancellationToken)
                : data;
            var schema = against.StartsWith(DataScheme, StringComparison.Ordinal)
                ? ProfileSchema.From(await ReferenceProfileAsync(client, against[DataScheme.Length..], Path.GetFileName(dataFile), cancellationToken))
                : DataSchema.Parse(await File.ReadAllTextAsync(against, cancellationToken));
            schema = WithThresholds(schema, parseResult.GetValue(MaxMissingOption), parseResult.GetValue(MaxDuplicateOption));
            var table = await DriftTableReader.ReadAsync(dataFile, cancellationToken);
            var report = DataValidator.Validate(table, schema, parseResult.GetValue(TargetOption), data, against);
            var json = DataValidationText.Json(report);

            if (parseResult.GetValue(OutOption) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, json, cancellationToken);
            }

            if (parseResult.GetValue(RunOption) is { } runId)
            {
                var reportFile = Path.Combine(scratch.FullName, "report.json");
                await File.WriteAllTextAsync(reportFile, json, cancellationToken);
                await client.UploadArtifactAsync(runId, reportFile, "data_validation", cancellationToken);
                await client.SetTagAsync(runId, "keel.data_validation", report.Status, cancellationToken);
            }

            output.Line(parseResult.GetValue(GlobalOptions.Json) ? json : DataValidationText.Text(report));
            return report.Passed ? ExitCodes.Success : ExitCodes.DataValidationFailed;
        }
        catch (Exception e) when (e is FormatException or FileNotFoundException or DirectoryNotFoundException or Parquet.ParquetException)
        {
            output.Error(e.Message);
            return ExitCodes.InvalidArguments;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static DataSchema WithThresholds(DataSchema schema, double? maxMissing, double? maxDuplicates) => schema with
    {
        MaxDuplicateShare = maxDuplicates ?? schema.MaxDuplicateShare,
        MaxMissingShare = maxMissing ?? schema.MaxMissingShare,
        Columns = maxMissing is null ? schema.Columns : schema.Columns.Select(c => c with { MaxMissingShare = null }).ToList(),
    };

    private static async Task<string> DownloadTableAsync(KeelClient client, string reference, string directory, CancellationToken ct)
    {
        await client.Data.GetAsync(reference, directory, ct);
        var tables = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".csv" or ".parquet").ToList();
        return tables.Count == 1
            ? tables[0]
            : throw new FormatException($"data:/{reference} holds {tables.Count} tables; validate-data needs a version with exactly one CSV or Parquet file.");
    }

    /// <summary>The version's only table profile, or the one whose file name matches the data's when it holds several.</summary>
    private static async Task<TableProfile> ReferenceProfileAsync(KeelClient client, string reference, string dataFileName, CancellationToken ct)
    {
        var profiles = await client.Data.GetProfilesAsync(reference, ct);
        return profiles.Count == 1
            ? profiles[0]
            : profiles.SingleOrDefault(p => Path.GetFileName(p.Path) == dataFileName)
                ?? throw new FormatException($"data:/{reference} holds {profiles.Count} table profiles ({string.Join(", ", profiles.Select(p => p.Path))}); " +
                    "name the data file like one of them, or use a version with one table.");
    }
}
