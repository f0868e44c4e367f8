using System.Text.Json.Nodes;

namespace Keel.Client.Protocol;

internal sealed record CreateMonitorRequest(string Name, string Deployment, string Reference, string? Window, long? Every, JsonObject? Settings);

internal sealed record MonitorResponse(ModelMonitor Monitor);

internal sealed record MonitorsResponse(IReadOnlyList<ModelMonitor>? Monitors);

internal sealed record MonitorEvaluationResponse(IReadOnlyList<long>? ComputedWindows, MonitorReport? Latest);

internal sealed record MonitorReportResponse(MonitorReport Report);

internal sealed record MonitorReportsResponse(IReadOnlyList<MonitorReport>? Reports);

internal sealed record MonitorAlertsResponse(IReadOnlyList<MonitorAlert>? Alerts);

internal sealed record FeedbackRequest(IReadOnlyList<PredictionLabel> Labels);

internal sealed record FeedbackResponse(int Accepted, IReadOnlyList<RejectedLabel>? Rejected);
