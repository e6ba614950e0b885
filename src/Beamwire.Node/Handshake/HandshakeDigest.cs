using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Beamwire.Node.Handshake;

/// <summary>
/// The handshake digest: MD5 of the cookie text followed by the challenge as unsigned decimal
/// (dist_util:gen_digest), and a constant-time comparison so a wrong digest leaks no timing.
/// </summary>
internal static class HandshakeDigest
{
    public static byte[] Compute(uint challenge, string cookie)
    {
        var text = cookie + challenge.ToString(CultureInfo.InvariantCulture);
        // Cookies are printable ASCII (CookieFile.Validate); Latin-1 maps them one byte each, as erl does.
#pragma warning disable CA5351 // MD5 is what the Erlang distribution protocol specifies.
        return MD5.HashData(Encoding.Latin1.GetBytes(text));
#pragma warning restore CA5351
    }

    public static bool Matches(ReadOnlySpan<byte> received, uint challenge, string cookie) =>
        CryptographicOperations.FixedTimeEquals(received, Compute(challenge, cookie));

    /// <summary>A fresh random challenge.</summary>
    public static uint NewChallenge() => BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
}
