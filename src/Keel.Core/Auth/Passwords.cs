using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Keel.Core.Auth;

/// <summary>Password hashing (PBKDF2-SHA256, OWASP's 2023 iteration count) and the rule a new password must meet.</summary>
internal static class Passwords
{
    public const int Iterations = 600_000;
    public const int MinimumLength = 12;
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    // The most common passwords of at least 12 characters in public breach lists; anything shorter already fails the
    // length rule.
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "123456789012", "1234567890123", "12345678901234", "123456789000", "qwertyuiop123", "qwertyuiopasdf",
        "password1234", "password12345", "password123!", "passwordpassword", "administrator", "administrator1",
        "changemechangeme", "letmeinletmein", "iloveyou1234", "1q2w3e4r5t6y", "1qaz2wsx3edc", "qazwsxedcrfv",
        "abcdefghijkl", "abc123abc123", "welcome12345", "adminadmin123", "aaaaaaaaaaaa", "111111111111",
        "000000000000", "keelkeelkeel", "mlflowmlflow", "superpassword", "trustno1trustno1", "zaq12wsxcde3",
    };

    /// <summary>Null when <paramref name="password"/> may be used, else why not (one sentence).</summary>
    public static string? Weakness(string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinimumLength)
        {
            return $"The password must be at least {MinimumLength} characters long.";
        }

        if (password.Distinct().Count() < 4)
        {
            return "The password repeats too few distinct characters.";
        }

        return Common.Contains(password) ? "The password is on the list of common passwords." : null;
    }

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var iterations))
        {
            return false;
        }

        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(password), Convert.FromBase64String(parts[2]), iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
