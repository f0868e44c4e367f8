using System.Security.Cryptography;

namespace Keel.Core.Tracking;

/// <summary>Readable names for runs created without one, in MLflow's "adjective-noun-number" style.</summary>
internal static class RunNames
{
    private static readonly string[] Adjectives =
        ["able", "bold", "brave", "bright", "calm", "clever", "crisp", "eager", "fair", "gentle", "grand", "keen", "lucky", "merry", "noble", "quick", "quiet", "sharp", "steady", "swift", "tidy", "vivid", "warm", "wise"];

    private static readonly string[] Nouns =
        ["badger", "bear", "crane", "deer", "eagle", "falcon", "fox", "gull", "hawk", "heron", "lark", "lynx", "otter", "owl", "panda", "raven", "seal", "shark", "sparrow", "swan", "tern", "whale", "wolf", "wren"];

    public static string Generate() =>
        $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]}-{Nouns[RandomNumberGenerator.GetInt32(Nouns.Length)]}-{RandomNumberGenerator.GetInt32(1000)}";
}
