namespace Keel.Bench;

/// <summary>The run cannot produce a trustworthy number: the server failed, answered an error, or a check failed.</summary>
internal sealed class BenchmarkException(string message, Exception? inner = null) : Exception(message, inner);
