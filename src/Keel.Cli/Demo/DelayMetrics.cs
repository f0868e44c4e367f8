namespace Keel.Cli.Demo;

/// <summary>Validation metrics of a delay model. Log-loss is ML.NET's, in bits.</summary>
internal sealed record DelayMetrics(double Auc, double LogLoss, double Accuracy, double F1Score);
