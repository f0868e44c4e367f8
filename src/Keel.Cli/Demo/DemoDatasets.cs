using Keel.Cli.Commands;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Demo;

/// <summary>
/// The demo's data as Keel dataset versions: the training month before the sweep, so every run can name exactly what
/// it saw (<c>data:/flights@N</c>), and later a shifted batch as the next version, with the diff a team would read
/// before trusting the model on it. Both versions hold one file at the same path, so the diff compares the tables.
/// </summary>
internal sealed class DemoDatasets(KeelClient client, IAnsiConsole console, string workDirectory)
{
    public const string DatasetName = "flights";
    public const string FileName = "flights.csv";
    public const string ModelInputsName = "flights-model-inputs";
    public const string ModelInputsFileName = "inputs.csv";

    /// <summary>The shifted batch keeps only held-out flights of at least this many miles: one sub-population, a real covariate shift.</summary>
    public const int LongHaulMiles = 1000;

    public async Task<DatasetVersion> AddTrainingAsync(string sourcePath, CancellationToken ct)
    {
        var folder = Stage("training");
        File.Copy(sourcePath, Path.Combine(folder, FileName));
        var added = await client.Data.AddAsync(folder, DatasetName, $"Training data: {Path.GetFileName(sourcePath)}", ct);
        console.MarkupLine($"   Keel data version {Markup.Escape(added.Version.Uri)} ({DataCommand.Size(added.Version.Size)}, digest {added.Version.Digest[..12]}…" +
            $"{(added.Created ? "" : ", unchanged since the latest version")}); each run logs it as its training input.");
        return added.Version;
    }

    /// <summary>Adds the long-haul part of the held-out flights as the next version and prints its diff against <paramref name="training"/>.</summary>
    public async Task<DatasetDiff> AddShiftedBatchAsync(DatasetVersion training, IReadOnlyList<FlightRecord> heldOut, CancellationToken ct)
    {
        var batch = Shift(heldOut);
        var folder = Stage("shifted");
        FlightsData.Write(Path.Combine(folder, FileName), batch);
        var added = await client.Data.AddAsync(folder, DatasetName,
            $"New batch: {batch.Count} held-out flights of {LongHaulMiles}+ miles (a long-haul sub-population)", ct);
        console.MarkupLine($"[bold]7. New data[/]  a batch of {batch.Count:N0} held-out flights of {LongHaulMiles:N0}+ miles arrives as " +
            $"{Markup.Escape(added.Version.Uri)}; ./keel data diff {DatasetName}@{training.Version} {DatasetName}@{added.Version.Version}:");
        var diff = await client.Data.DiffAsync($"{DatasetName}@{training.Version}", $"{DatasetName}@{added.Version.Version}", ct);
        DataDiffCommand.Write(console, diff);
        return diff;
    }

    /// <summary>
    /// Adds the rows the model trained on as it saw them (its signature's columns) as <see cref="ModelInputsName"/>: the
    /// monitor's reference. The logged training input holds the raw columns (date, delay, ...), which share no name with
    /// the signature's derived ones (Hour, DayOfWeek, Label, ...), so it could not be compared feature by feature.
    /// </summary>
    public async Task<DatasetVersion> AddModelInputsAsync(IReadOnlyList<FlightRecord> training, CancellationToken ct)
    {
        var folder = Stage("model-inputs");
        using (var writer = new StreamWriter(Path.Combine(folder, ModelInputsFileName)))
        {
            await writer.WriteLineAsync(FlightInput.CsvHeader);
            foreach (var f in training.Select(FlightInput.From))
            {
                await writer.WriteLineAsync(f.CsvRow());
            }
        }

        var added = await client.Data.AddAsync(folder, ModelInputsName, "The training split as the model's inputs (the monitor's reference)", ct);
        return added.Version;
    }

    internal static IReadOnlyList<FlightRecord> Shift(IReadOnlyList<FlightRecord> heldOut) =>
        heldOut.Where(f => f.Distance >= LongHaulMiles).ToList();

    private string Stage(string name)
    {
        var folder = Path.Combine(workDirectory, "data-" + name);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
