using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Beamwire.Cluster.Gossip;

/// <summary>
/// Heartbeat sealing. <see cref="Mode.Cbc"/> is libcluster's <c>secret</c>: <c>IV(16) ‖ AES-256-CBC(key =
/// SHA-256(secret), PKCS#7)</c> — confidential but forgeable by anyone who can flip bits and unauthenticated
/// against replay. <see cref="Mode.Authenticated"/> (Beamwire only) is <c>"BWG1" ‖ nonce(12) ‖ tag(16) ‖
/// AES-256-GCM(key, timestamp(8) ‖ heartbeat)</c> with the magic as associated data; the receiver checks
/// the timestamp against a replay window.
/// </summary>
public sealed class HeartbeatCipher : IDisposable
{
    public enum Mode
    {
        Cbc,
        Authenticated,
    }

    private static ReadOnlySpan<byte> Magic => "BWG1"u8;

    private readonly Aes? _aes;
    private readonly AesGcm? _gcm;

    public HeartbeatCipher(string secret, Mode mode)
    {
        CipherMode = mode;
        if (mode == Mode.Cbc)
        {
            _aes = Aes.Create();
            _aes.Key = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        }
        else
        {
            // A key of its own, so a CBC secret and an authenticated one never share a key.
            _gcm = new AesGcm(SHA256.HashData(Encoding.UTF8.GetBytes("beamwire-gossip-aead\0" + secret)), 16);
        }
    }

    public Mode CipherMode { get; }

    /// <summary>The longest sealed packet for a plaintext of <paramref name="plainLength"/> bytes.</summary>
    public static int MaxSealedLength(int plainLength) => 16 + plainLength + 16 + 12 + 8 + 4;

    public int Seal(ReadOnlySpan<byte> plain, Span<byte> destination, long unixMs)
    {
        if (_aes is not null)
        {
            var iv = destination[..16];
            RandomNumberGenerator.Fill(iv);
            return 16 + _aes.EncryptCbc(plain, iv, destination[16..], PaddingMode.PKCS7);
        }

        Magic.CopyTo(destination);
        var nonce = destination.Slice(4, 12);
        var tag = destination.Slice(16, 16);
        RandomNumberGenerator.Fill(nonce);
        var body = destination.Slice(32, 8 + plain.Length);
        Span<byte> clear = stackalloc byte[8 + plain.Length];
        BinaryPrimitives.WriteInt64BigEndian(clear, unixMs);
        plain.CopyTo(clear[8..]);
        _gcm!.Encrypt(nonce, clear, body, tag, Magic);
        return 32 + body.Length;
    }

    /// <summary>Opens a sealed packet into <paramref name="destination"/>; false when it does not decrypt (or authenticate).</summary>
    public bool TryOpen(ReadOnlySpan<byte> packet, Span<byte> destination, out int written, out long unixMs)
    {
        written = 0;
        unixMs = 0;
        if (_aes is not null)
        {
            // libcluster treats every datagram of 16 bytes or more as IV ‖ ciphertext.
            if (packet.Length < 32 || (packet.Length - 16) % 16 != 0) return false;
            try
            {
                return _aes.TryDecryptCbc(packet[16..], packet[..16], destination, out written, PaddingMode.PKCS7);
            }
            catch (CryptographicException)
            {
                return false;
            }
        }

        if (packet.Length < 32 + 8 || !packet.StartsWith(Magic)) return false;
        var body = packet[32..];
        if (destination.Length < body.Length) return false;
        try
        {
            _gcm!.Decrypt(packet.Slice(4, 12), body, packet.Slice(16, 16), destination[..body.Length], Magic);
        }
        catch (CryptographicException)
        {
            return false;
        }

        unixMs = BinaryPrimitives.ReadInt64BigEndian(destination);
        destination[8..body.Length].CopyTo(destination);
        written = body.Length - 8;
        return true;
    }

    public void Dispose()
    {
        _aes?.Dispose();
        _gcm?.Dispose();
    }
}
