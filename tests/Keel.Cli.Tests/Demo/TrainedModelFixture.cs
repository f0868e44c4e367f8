using Keel.Cli.Demo;

namespace Keel.Cli.Tests.Demo;

/// <summary>Trains one sweep configuration once for all trainer tests; training takes seconds.</summary>
public sealed class TrainedModelFixture : IDisposable
{
    public TrainedModelFixture()
    {
        Directory.CreateDirectory(Folder);
        Split = FlightsData.Load(FlightsSample.TrainingMonthPath).Split();
        Configuration = SweepPlan.Default[1];
        Result = DelayModelTrainer.Train(
            Configuration,
            Split,
            Path.Combine(Folder, "model.zip"),
            (key, value, step) => Metrics.Add((key, value, step)));
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "keel-demo-tests-" + Guid.NewGuid().ToString("N"));

    internal FlightSplit Split { get; }

    internal SweepConfiguration Configuration { get; }

    internal TrainingResult Result { get; }

    internal List<(string Key, double Value, long Step)> Metrics { get; } = [];

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
