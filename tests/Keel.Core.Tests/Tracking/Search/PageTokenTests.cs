using System.Text;
using Keel.Core.Tracking.Search;

namespace Keel.Core.Tests.Tracking.Search;

public class PageTokenTests
{
    [Fact]
    public void Encode_WritesTheSameBytesAsMlflow()
    {
        // base64.b64encode(json.dumps({"offset": 100}).encode("utf-8")) in MLflow.
        Assert.Equal("eyJvZmZzZXQiOiAxMDB9", PageToken.Encode(100));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    public void Decode_OfEncodedOffset_ReturnsOffset(int offset)
    {
        Assert.Equal(offset, PageToken.Decode(PageToken.Encode(offset)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Decode_WithoutToken_ReturnsZero(string? token)
    {
        Assert.Equal(0, PageToken.Decode(token));
    }

    [Fact]
    public void Decode_WithStringOffset_ReturnsOffset()
    {
        Assert.Equal(7, PageToken.Decode(Base64("{\"offset\": \"7\"}")));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("eyJvZmZzZXQiOiAxMDB")]
    public void Decode_WithNonBase64_ThrowsInvalidParameter(string token)
    {
        var error = Assert.Throws<KeelException>(() => PageToken.Decode(token));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.StartsWith("Invalid page token", error.Message, StringComparison.Ordinal);
        Assert.Contains(token, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("{}")]
    [InlineData("[1]")]
    [InlineData("{\"offset\": -1}")]
    [InlineData("{\"offset\": 1.5}")]
    [InlineData("{\"offset\": \"x\"}")]
    [InlineData("{\"offset\": 99999999999}")]
    [InlineData("{\"offset\": null}")]
    public void Decode_WithMalformedJson_ThrowsInvalidParameter(string json)
    {
        var error = Assert.Throws<KeelException>(() => PageToken.Decode(Base64(json)));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.StartsWith("Invalid page token", error.Message, StringComparison.Ordinal);
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
