using Keel.Core.Auth;

namespace Keel.Core.Tests.Auth;

public sealed class RolesTests
{
    [Theory]
    [InlineData(Role.NoPermissions, new Permission[0])]
    [InlineData(Role.Reader, new[] { Permission.Read })]
    [InlineData(Role.Use, new[] { Permission.Read, Permission.Use })]
    [InlineData(Role.Editor, new[] { Permission.Read, Permission.Use, Permission.Edit })]
    [InlineData(Role.Approver, new[] { Permission.Read, Permission.Use, Permission.Edit, Permission.Approve })]
    [InlineData(Role.Admin, new[] { Permission.Read, Permission.Use, Permission.Edit, Permission.Approve, Permission.Manage })]
    public void Role_AllowsExactlyItsPermissions(Role role, Permission[] allowed) =>
        Assert.Equal(allowed, Enum.GetValues<Permission>().Where(p => role.Allows(p)));

    [Theory]
    [InlineData("READ", Role.Reader, "READ")]
    [InlineData("use", Role.Use, "USE")]
    [InlineData("EDIT", Role.Editor, "EDIT")]
    [InlineData("MANAGE", Role.Admin, "MANAGE")]
    [InlineData("NO_PERMISSIONS", Role.NoPermissions, "NO_PERMISSIONS")]
    public void MlflowPermissions_RoundTrip(string permission, Role role, string back)
    {
        Assert.Equal(role, Roles.FromMlflow(permission));
        Assert.Equal(back, role.ToMlflow());
    }

    [Fact]
    public void UnknownNames_AreInvalidParameters()
    {
        Assert.Equal(ErrorCodes.InvalidParameterValue, Assert.Throws<KeelException>(() => Roles.Parse("boss")).ErrorCode);
        Assert.Equal(ErrorCodes.InvalidParameterValue, Assert.Throws<KeelException>(() => Roles.FromMlflow("OWNER")).ErrorCode);
        Assert.Equal(ErrorCodes.InvalidParameterValue, Assert.Throws<KeelException>(() => Roles.ParseKind("bucket")).ErrorCode);
        Assert.Equal("EDIT", Role.Approver.ToMlflow());
    }

    [Fact]
    public void ReadScope_ForAReader_HidesOnlyDenied_ForNone_ShowsOnlyGranted()
    {
        Assert.Equal("rm.name NOT IN (SELECT resource_id FROM grants WHERE user_id = 7 AND resource_type = 'registered_model' AND role < 1)",
            new ReadScope(7, Role.Reader).Condition(ResourceKind.RegisteredModel, "rm.name"));
        Assert.Equal("d.name IN (SELECT resource_id FROM grants WHERE user_id = 7 AND resource_type = 'deployment' AND role >= 1)",
            new ReadScope(7, Role.NoPermissions).Condition(ResourceKind.Deployment, "d.name"));
    }
}
