using System.Diagnostics;
using System.Globalization;

namespace Keel.Bench;

/// <summary>
/// Where a phase's time went: wall clock, the server process's CPU, this (client) process's CPU, and the CPU
/// every other process on the machine used meanwhile (the machine is shared, so that is part of the result).
/// </summary>
internal sealed record PhaseCost(double WallSeconds, double ServerCpuSeconds, double ClientCpuSeconds, double? OtherCpuSeconds)
{
    /// <summary>CPU seconds per wall second; 1.0 is one core busy the whole phase.</summary>
    public double ServerCores => ServerCpuSeconds / WallSeconds;

    public double ClientCores => ClientCpuSeconds / WallSeconds;

    public double? OtherCores => OtherCpuSeconds / WallSeconds;
}

/// <summary>Started just before a measured phase and read just after it.</summary>
internal sealed class PhaseMeter
{
    private readonly ServerProcess? _server;
    private readonly long _started;
    private readonly TimeSpan _serverCpu;
    private readonly TimeSpan _clientCpu;
    private readonly double? _machineBusy;

    private PhaseMeter(ServerProcess? server)
    {
        _server = server;
        _machineBusy = MachineBusySeconds();
        _serverCpu = server?.CpuTime() ?? TimeSpan.Zero;
        _clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
        _started = Stopwatch.GetTimestamp();
    }

    public static PhaseMeter Start(ServerProcess server) => new(server);

    /// <summary>For work done in this process alone (no server): server CPU reads zero.</summary>
    public static PhaseMeter StartInProcess() => new(null);

    public PhaseCost Stop()
    {
        var wall = Stopwatch.GetElapsedTime(_started);
        var server = ((_server?.CpuTime() ?? TimeSpan.Zero) - _serverCpu).TotalSeconds;
        var client = (Process.GetCurrentProcess().TotalProcessorTime - _clientCpu).TotalSeconds;
        var machine = MachineBusySeconds() - _machineBusy;
        return new PhaseCost(wall.TotalSeconds, server, client, machine is { } m ? Math.Max(0, m - server - client) : null);
    }

    /// <summary>Non-idle CPU time of the whole machine since boot: the first line of /proc/stat less idle and iowait, in USER_HZ (1/100 s).</summary>
    private static double? MachineBusySeconds()
    {
        const string Stat = "/proc/stat";
        if (!File.Exists(Stat))
        {
            return null;
        }

        using var reader = new StreamReader(Stat);
        var fields = reader.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user and nice]
        var busy = fields.Take(8).Sum() - fields[3] - fields[4];
        return busy / 100.0;
    }
}
