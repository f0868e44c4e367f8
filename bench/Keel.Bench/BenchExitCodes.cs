namespace Keel.Bench;

internal static class BenchExitCodes
{
    public const int Success = 0;

    /// <summary>The server failed to start, answered an error, or a correctness check failed: no number is trustworthy.</summary>
    public const int Failed = 1;

    public const int InvalidArguments = 2;

    public const int Cancelled = 130;
}
