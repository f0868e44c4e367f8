using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Keel.Core.Audit;

/// <summary>
/// hash_n = HMAC-SHA256(key, hash_{n-1} || canonical(entry_n)). The canonical encoding is length-prefixed, so no two
/// different entries encode alike; it leaves out seq on purpose, since the entry's place is what the chain itself binds.
/// </summary>
internal sealed class AuditChain(byte[] key)
{
    public static readonly string GenesisHash = new('0', 64);

    private const byte EncodingVersion = 1;

    public string Next(string prevHash, AuditRecord record)
    {
        using var buffer = new MemoryStream(256);
        buffer.Write(Convert.FromHexString(prevHash));
        buffer.WriteByte(EncodingVersion);
        WriteInt64(buffer, record.Time);
        WriteString(buffer, record.Actor);
        WriteString(buffer, record.Action);
        WriteString(buffer, record.Resource);
        WriteString(buffer, record.RequestId);
        WriteInt64(buffer, record.Outcome);
        WriteString(buffer, record.PayloadSha256);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    private static void WriteInt64(Stream stream, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteString(Stream stream, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            stream.Write(length);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        stream.Write(length);
        stream.Write(bytes);
    }
}
