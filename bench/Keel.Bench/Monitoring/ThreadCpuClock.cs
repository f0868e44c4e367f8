using System.Runtime.InteropServices;

namespace Keel.Bench.Monitoring;

/// <summary>
/// The calling thread's CPU time in nanoseconds (Linux CLOCK_THREAD_CPUTIME_ID), so per-step times count work done,
/// not time spent waiting for a core on a shared machine. Elsewhere it reads 0 and the steps are not reported.
/// </summary>
internal static class ThreadCpuClock
{
    public const double TicksPerSecond = 1e9;
    private const int ClockThreadCpuTimeId = 3;

    public static bool Available { get; } = OperatingSystem.IsLinux();

    public static long Now()
    {
        if (!Available || clock_gettime(ClockThreadCpuTimeId, out var time) != 0)
        {
            return 0;
        }

        return time.Seconds * 1_000_000_000L + time.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    // DllImport rather than LibraryImport: the source-generated form needs unsafe code enabled for the whole bench.
    [DllImport("libc")]
    private static extern int clock_gettime(int clockId, out TimeSpec time);
}
