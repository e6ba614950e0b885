using System.Buffers.Binary;
using Beamwire.Epmd.Client;
using Beamwire.Epmd.Protocol;

namespace Beamwire.Epmd.Tests.Fuzzing;

/// <summary>
/// What <see cref="EpmdClient"/> does with a reply once its bytes are in (the ALIVE2 reply's tag and
/// length, PORT2_RESP, the NAMES and DUMP listings, KILL and STOP's text), fed hostile replies. The only
/// failure allowed is <see cref="EpmdException"/>. Shared by the fuzz tests and the SharpFuzz harness.
/// </summary>
internal static class EpmdReplyFuzzTarget
{
    /// <summary>Decodes <paramref name="reply"/> as the reply to <paramref name="kind"/>; null, or what went wrong.</summary>
    public static string? Check(string kind, ReadOnlySpan<byte> reply)
    {
        try
        {
            switch (kind)
            {
                case "alive2":
                    Alive2(reply);
                    break;
                case "port_please2":
                    if (reply.Length == 0) throw EpmdConnection.ClosedEarly("PORT2_RESP", 0);
                    if (ClientReplies.Port2(reply) is { } info && info.Name.Length > reply.Length) return "a name longer than the reply";
                    break;
                case "names":
                case "dump":
                    var names = Listing(reply).ParseNames();
                    if (names.Count > reply.Length) return "more names than bytes";
                    break;
                default:
                    _ = System.Text.Encoding.Latin1.GetString(reply[..Math.Min(reply.Length, 7)]);
                    break;
            }

            return null;
        }
        catch (EpmdException)
        {
            return null;
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {ex.Message} for the {kind} reply {Convert.ToHexString(reply)}\n{ex}";
        }
    }

    /// <summary>The ALIVE2 reply as RegisterAsync reads it: the tag says the length; null when the connection closed first.</summary>
    public static (byte Result, uint Creation)? Alive2(ReadOnlySpan<byte> reply)
    {
        if (reply.Length == 0) throw EpmdConnection.ClosedEarly("ALIVE2 reply", 0);
        var length = ClientReplies.Alive2ReplyLength(reply[0]);
        if (length < 0) throw ClientReplies.Malformed("ALIVE2 reply (unknown tag)", reply[..1]);
        if (reply.Length < length) throw EpmdConnection.ClosedEarly("ALIVE2 reply", reply.Length);
        return ClientReplies.Alive2(reply[..length]);
    }

    /// <summary>A NAMES or DUMP reply as the client reads it to the end of the stream.</summary>
    public static EpmdListing Listing(ReadOnlySpan<byte> reply)
    {
        if (reply.Length < 4) throw EpmdConnection.ClosedEarly("NAMES reply", reply.Length);
        return new EpmdListing(BinaryPrimitives.ReadInt32BigEndian(reply), reply[4..].ToArray());
    }
}
