using System.Runtime.InteropServices;

namespace Keel.Bench.Reporting;

internal sealed record MachineFacts(
    int Cores, string Cpu, double MemoryGb, string Os, string Architecture, string Dotnet, string BenchBuildConfiguration, string? LoadAverageAtEnd)
{
    public static MachineFacts Current(string buildConfiguration) => new(
        Environment.ProcessorCount,
        CpuModel(),
        Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9, 1),
        RuntimeInformation.OSDescription,
        RuntimeInformation.OSArchitecture.ToString(),
        RuntimeInformation.FrameworkDescription,
        buildConfiguration,
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null);

    private static string CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        var line = File.Exists(CpuInfo)
            ? File.ReadLines(CpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
            : null;
        return line?[(line.IndexOf(':') + 1)..].Trim() ?? "unknown";
    }
}

internal sealed record ServerFacts(string Assembly, string Launch, string Storage, string Note);

internal sealed record BaselineSection(string Source, bool MeasuredInThisRun, IReadOnlyDictionary<string, double> Numbers);

internal sealed record BenchReport(
    string Benchmark,
    string Mode,
    DateTimeOffset TimestampUtc,
    MachineFacts Machine,
    ServerFacts Server,
    IReadOnlyList<Measurement> Measurements,
    IReadOnlyList<GoalResult> Goals,
    BaselineSection Baseline);
