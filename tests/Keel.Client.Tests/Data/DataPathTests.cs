namespace Keel.Client.Tests.Data;

public sealed class DataPathTests
{
    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/Windows/x")]
    [InlineData("C:x")]
    [InlineData("a\\..\\b")]
    [InlineData("a//b")]
    [InlineData("./a")]
    [InlineData("a/.")]
    [InlineData("")]
    [InlineData("a\nb")]
    public void SafePath_WithAPathThatCouldEscape_ThrowsAnIntegrityError(string path)
    {
        var root = Path.Combine(Path.GetTempPath(), "keel-safe");

        var error = Assert.Throws<KeelApiException>(() => KeelDataClient.SafePath(root, path));

        Assert.Equal(KeelErrorCodes.DataLoss, error.ErrorCode);
    }

    [Theory]
    [InlineData("a.csv", "a.csv")]
    [InlineData("sub dir/ü/données 1.csv", "sub dir/ü/données 1.csv")]
    [InlineData("..hidden/x", "..hidden/x")]
    public void SafePath_WithANestedRelativePath_StaysUnderTheRoot(string path, string expected)
    {
        var root = Path.Combine(Path.GetTempPath(), "keel-safe");

        Assert.Equal(Path.Combine(root, expected), KeelDataClient.SafePath(root, path));
    }

    [Theory]
    [InlineData("iris@3", "iris", "3")]
    [InlineData("iris", "iris", "latest")]
    [InlineData("my data@prod", "my data", "prod")]
    public void Parse_ReadsNameAndVersion(string reference, string name, string version) =>
        Assert.Equal((name, version), KeelDataClient.Parse(reference));

    [Theory]
    [InlineData("@3")]
    [InlineData("iris@")]
    [InlineData("a/b@1")]
    public void Parse_WithAMalformedReference_ThrowsFormatException(string reference) =>
        Assert.Throws<FormatException>(() => KeelDataClient.Parse(reference));
}
