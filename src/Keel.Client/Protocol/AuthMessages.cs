namespace Keel.Client.Protocol;

internal sealed record UsersResponse(IReadOnlyList<KeelUser>? Users);

internal sealed record UserResponse(KeelUser User);

internal sealed record CreateUserRequest(string Name, string Password, bool IsAdmin, string? Role);

internal sealed record RoleRequest(string Role);

internal sealed record GrantsResponse(IReadOnlyList<KeelGrant>? Grants);

internal sealed record GrantResponse(KeelGrant Grant);

internal sealed record PasswordRequest(string Password);

internal sealed record CreateTokenRequest(string Name, long? ExpiryTime);

internal sealed record TokensResponse(IReadOnlyList<ApiTokenInfo>? Tokens);
