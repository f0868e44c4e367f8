using Keel.Core.Registry;

namespace Keel.Core.Tests.Registry;

public class ModelSignatureReaderTests
{
    private static ModelSignature? Read(string yaml) => ModelSignatureReader.Read(new StringReader(yaml));

    [Fact]
    public void Read_ColumnSpecs_KeepsNamesTypesAndOptionality()
    {
        var signature = Read("""
            flavors: {}
            signature:
              inputs: '[{"type": "double", "name": "x"}, {"type": "string", "name": "y", "optional": true}, {"type": "array", "items": {"type": "long"}, "name": "z", "required": false}]'
              outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]'
            """)!;

        Assert.Equal(
            [new SignatureField("x", "double", true), new SignatureField("y", "string", false), new SignatureField("z", "array<long>", false)],
            signature.Inputs);
        Assert.Equal(new SignatureField(null, "tensor float32 (-1, 4)", true), Assert.Single(signature.Outputs));
        Assert.Empty(signature.Params);
    }

    [Theory]
    [InlineData("artifact_path: model\nflavors: {}\n")]
    [InlineData("")]
    [InlineData("signature: null\n")]
    public void Read_WithoutASignatureBlock_ReturnsNull(string yaml) => Assert.Null(Read(yaml));

    [Theory]
    [InlineData("signature:\n  inputs: '[{not json'\n")]
    [InlineData("signature: [unclosed\n")]
    public void Read_Malformed_ThrowsFormatException(string yaml) => Assert.Throws<FormatException>(() => Read(yaml));
}
