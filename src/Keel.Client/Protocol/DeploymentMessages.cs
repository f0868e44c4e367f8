using System.Text.Json.Serialization;

namespace Keel.Client.Protocol;

internal sealed record CreateDeploymentRequest(string Name, string Model, DeploymentCanary? Canary);

internal sealed record SetDeploymentModelRequest(string Model);

// An explicit null canary removes it, so this one field is written even when null.
internal sealed record SetDeploymentCanaryRequest([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DeploymentCanary? Canary);

// Likewise an explicit null shadow removes it.
internal sealed record SetDeploymentShadowRequest([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Shadow);

internal sealed record SetRevisionStatusRequest(string Status, string? Message);

internal sealed record DeploymentResponse(Deployment Deployment);

internal sealed record DeploymentsResponse(IReadOnlyList<Deployment>? Deployments);

internal sealed record DeploymentRevisionsResponse(IReadOnlyList<DeploymentRevision> Revisions);

internal sealed record DeploymentRevisionResponse(DeploymentRevision Revision);
