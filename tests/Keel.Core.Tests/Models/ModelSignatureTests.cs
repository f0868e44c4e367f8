using Keel.Core.Models;

namespace Keel.Core.Tests.Models;

public sealed class ModelSignatureTests
{
    [Fact]
    public void ToJson_WritesMlflowsJsonWithPythonSeparators()
    {
        var columns = new ModelSchema([new ColumnSpec("x", "double"), new ColumnSpec("city", "string", Required: false)]);
        var tensors = new ModelSchema([new TensorSpec("input", "float32", [-1, 4])]);

        Assert.Equal("""[{"type": "double", "name": "x", "required": true}, {"type": "string", "name": "city", "required": false}]""", columns.ToJson());
        Assert.Equal("""[{"name": "input", "type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]""", tensors.ToJson());
    }

    [Fact]
    public void Parse_ComplexColumnType_KeepsItsStructureForRoundTrip()
    {
        const string json = """[{"type": "array", "items": {"type": "string"}, "name": "tags", "required": true}]""";

        var schema = ModelSchema.Parse(json, "inputs");

        Assert.Equal(json, schema.ToJson());
    }

    [Theory]
    [InlineData("""[{"type": "decimal", "name": "x"}]""", "unknown type 'decimal'")]
    [InlineData("""[{"type": "tensor", "tensor-spec": {"dtype": "float128", "shape": [-1]}}]""", "unknown tensor dtype 'float128'")]
    [InlineData("""[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, "n"]}}]""", "shape entry")]
    [InlineData("""[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}}, {"type": "double"}]""", "mixes column specs and tensor specs")]
    [InlineData("""[{"type": "double", "name": "x"}, {"type": "double"}]""", "mixes named and unnamed")]
    [InlineData("""[{"type": "double", "name": "x"}, {"type": "long", "name": "x"}]""", "names 'x' more than once")]
    [InlineData("""[{"name": "x"}]""", "has no \"type\"")]
    [InlineData("""{"type": "double"}""", "JSON list")]
    [InlineData("""[{"type": "double",""", "not valid JSON")]
    public void Parse_MalformedSchema_ThrowsFormatExceptionNamingTheProblem(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ModelSchema.Parse(json, "signature.inputs"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
