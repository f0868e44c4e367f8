namespace Keel.Cli.Demo;

internal sealed record TrainingResult(
    SweepConfiguration Configuration,
    DelayMetrics Validation,
    string ModelPath,
    int TrainingRows,
    int ValidationRows,
    TimeSpan Elapsed);
