using Keel.Core.Gates;

namespace Keel.Core.Tests.Gates;

public class GateParserTests
{
    private static readonly GateInputs Inputs = new(
        new Dictionary<string, double> { ["f1"] = 0.8, ["baseline.f1"] = 0.9, ["slice_gap.region.recall"] = 0.3, ["slice_gap.age.group.recall"] = 0.1, ["slice_gap.region.f1"] = 0.9 },
        new Dictionary<string, string> { ["keel.data_validation"] = "passed", ["team"] = "risk #2" });

    private static ConditionResult Check(string condition) =>
        GateEvaluator.Evaluate(GateParser.Parse($"name: g\nconditions:\n  - {condition}\n"), "run", Inputs).Conditions.Single();

    [Theory]
    [InlineData("f1 >= baseline.f1 - 0.1 * 2", "0.8", ">= 0.7")]
    [InlineData("f1 >= (baseline.f1 - 0.1) * 2", "0.8", ">= 1.6")]
    [InlineData("-f1 < -0.5", "-0.8", "< -0.5")]
    [InlineData("f1 / 2 == 0.4", "0.4", "== 0.4")]
    [InlineData("max_slice_gap(recall) <= 0.35", "0.3", "<= 0.35")]
    [InlineData("1e-1 < f1", "0.1", "< 0.8")]
    public void Arithmetic_FollowsPrecedence(string condition, string actual, string expected)
    {
        var result = Check(condition);

        Assert.Equal((actual, expected), (result.Actual, result.Expected));
    }

    [Theory]
    [InlineData("data_validation == passed", true)]
    [InlineData("data_validation != passed", false)]
    [InlineData("tag(team) == 'risk #2'", true)]
    [InlineData("tag(\"team\") == \"risk\"", false)]
    [InlineData("f1 == 0.8", true)]
    [InlineData("f1 > 0.8", false)]
    public void Comparisons_OfTextAndNumbers(string condition, bool passed) =>
        Assert.Equal(passed, Check(condition).Passed);

    [Fact]
    public void MissingValues_FailWithWhatIsMissing()
    {
        Assert.Equal("metric recall not logged", Check("recall >= 0.5").Message);
        Assert.Equal("metric slice_gap.<column>.precision not logged", Check("max_slice_gap(precision) < 1").Message);
        Assert.Equal("tag owner not set", Check("tag(owner) == 'me'").Message);
        Assert.False(Check("recall >= 0.5").Passed);
    }

    [Fact]
    public void File_WithCommentsQuotesAndAnd_KeepsLinesAndDigest()
    {
        const string text = "# release gate\nname: \"release\"\ndescription: for champions # really\n\nconditions:\n  - f1 >= 0.5 and f1 <= 1 # both\n  - \"data_validation == passed\"\n";

        var gate = GateParser.Parse(text);

        Assert.Equal("release", gate.Name);
        Assert.Equal([(6, "f1 >= 0.5"), (6, "f1 <= 1"), (7, "data_validation == passed")], gate.Conditions.Select(c => (c.Line, c.Text)));
        Assert.Equal(Gate.DigestOf(text), gate.Digest);
        Assert.NotEqual(Gate.DigestOf(text + " "), gate.Digest);
    }

    [Theory]
    [InlineData("conditions:\n  - f1 > 0\n", "no 'name:' line")]
    [InlineData("name: g\n", "no conditions")]
    [InlineData("name: g\nconditions: f1 > 0\n", "line 2")]
    [InlineData("name: g\nconditions:\n  - (f1 > 0\n", "line 3")]
    [InlineData("name: g\nconditions:\n  - f1 > 0 or f1 < 1\n", "line 3")]
    [InlineData("name: g\nconditions:\n  - f1 + passed > 0\n", "arithmetic needs numbers")]
    [InlineData("name: g\n  extra: 1\nconditions:\n  - f1 > 0\n", "line 2")]
    public void BrokenFiles_AreInvalidParameter_WithWhere(string text, string message)
    {
        var error = Assert.Throws<KeelException>(() => GateParser.Parse(text));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains(message, error.Message);
    }
}
