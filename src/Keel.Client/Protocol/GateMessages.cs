namespace Keel.Client.Protocol;

internal sealed record GateCheckRequest(string RunId, string Gate, string RecordOn);
