namespace Keel.Client;

/// <summary>One value of a metric: metrics can be logged many times per run, at increasing steps.</summary>
/// <param name="Key">The metric's name.</param>
/// <param name="Value">The value; NaN and infinities are allowed.</param>
/// <param name="Timestamp">When the value was recorded, in Unix epoch milliseconds.</param>
/// <param name="Step">The training step the value belongs to.</param>
public sealed record Metric(string Key, double Value, long Timestamp, long Step = 0);

/// <summary>A parameter of a run, such as a hyperparameter. A run's parameter cannot change once logged.</summary>
/// <param name="Key">The parameter's name.</param>
/// <param name="Value">The parameter's value.</param>
public sealed record Param(string Key, string Value = "");

/// <summary>A tag on an experiment, a run or a dataset input. Tags can change at any time.</summary>
/// <param name="Key">The tag's name.</param>
/// <param name="Value">The tag's value.</param>
public sealed record Tag(string Key, string Value = "");
