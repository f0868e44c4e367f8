namespace Keel.Client.Protocol;

internal sealed record UsersResponse(IReadOnlyList<KeelUser>? Users);

internal sealed record UserResponse(KeelUser User);

internal sealed record CreateUserRequest(string Name, string Password, bool IsAdmin);

internal sealed record PasswordRequest(string Password);

internal sealed record CreateTokenRequest(string Name, long? ExpiryTime);

internal sealed record TokensResponse(IReadOnlyList<ApiTokenInfo>? Tokens);
