using Keel.Core.Registry;

namespace Keel.Core.Tests.Registry;

public class CardSignatureTests
{
    private static ModelSignature? Read(string yaml) => CardSignature.FromMLmodel(yaml);

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
    [InlineData("flavors: {}\nsignature: null\n")]
    public void Read_WithoutASignatureBlock_ReturnsNull(string yaml) => Assert.Null(Read(yaml));

    [Theory]
    [InlineData("flavors: {}\nsignature:\n  inputs: '[{not json'\n")]
    [InlineData("signature: [unclosed\n")]
    [InlineData("")]
    public void Read_Malformed_ThrowsFormatException(string yaml) => Assert.Throws<FormatException>(() => Read(yaml));

    [Fact]
    public void Read_Params_ShowDefaultsAndLists()
    {
        var signature = Read("""
            flavors: {}
            signature:
              inputs: '[{"type": "double", "name": "x"}]'
              params: '[{"name": "threshold", "type": "double", "default": 0.5, "shape": null}, {"name": "ids", "type": "long", "default": [1], "shape": [-1]}]'
            """)!;

        Assert.Equal([new SignatureField("threshold", "double (default 0.5)", true), new SignatureField("ids", "long[]", true)], signature.Params);
    }

    [Fact]
    public void FromInferredTag_ReadsWhatRegistrationStored_AndIgnoresGarbage()
    {
        var signature = CardSignature.FromInferredTag(
            """{"inputs":"[{\"name\": \"Distance\", \"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float32\", \"shape\": [-1, 1]}}]","outputs":null}""")!;

        Assert.Equal(new SignatureField("Distance", "tensor float32 (-1, 1)", true), Assert.Single(signature.Inputs));
        Assert.Empty(signature.Outputs);
        Assert.Null(CardSignature.FromInferredTag("not json"));
    }
}
