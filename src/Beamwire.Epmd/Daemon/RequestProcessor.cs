using System.Buffers.Binary;
using Beamwire.Epmd.Diagnostics;
using Beamwire.Epmd.Protocol;
using Microsoft.Extensions.Logging;

namespace Beamwire.Epmd.Daemon;

/// <summary>What the connection does after a request.</summary>
internal enum Disposition
{
    /// <summary>Send the reply (if any) and close: every request but ALIVE2.</summary>
    Close,

    /// <summary>Send the reply and keep the connection: ALIVE2 (the name lives as long as it does).</summary>
    Keep,

    /// <summary>Send the reply, close, and stop the daemon: an allowed KILL.</summary>
    Kill,
}

/// <summary>A reply (possibly empty: epmd answers bad requests with silence) and what to do next.</summary>
internal readonly record struct Outcome(ReadOnlyMemory<byte> Reply, Disposition Then)
{
    public static readonly Outcome Silent = new(ReadOnlyMemory<byte>.Empty, Disposition.Close);
}

/// <summary>
/// epmd's request rules, one complete request body (after the length) at a time. Each refusal is
/// what epmd does for the same bytes: mostly no reply at all, and a log line.
/// </summary>
internal sealed class RequestProcessor(NodeTable table, bool relaxedCommandCheck, ILogger logger)
{
    private static readonly byte[] NotFound = [EpmdCodes.Port2Resp, 1];
    private static readonly byte[] Ok = "OK"u8.ToArray();
    private static readonly byte[] No = "NO"u8.ToArray();
    private static readonly byte[] NoExistStopped = "NOEXISTSTOPPED"u8.ToArray();
    private static readonly byte[] Stopped = "STOPPED"u8.ToArray();

    /// <summary>
    /// Answers the lookups that do not depend on who asks (PORT_PLEASE2, NAMES); false for every
    /// other request, which goes through <see cref="Process"/> with its connection.
    /// </summary>
    public bool TryProcessLookup(ReadOnlySpan<byte> body, out Outcome outcome)
    {
        switch (body[0])
        {
            case EpmdCodes.Port2Req:
                Count("port_please2");
                outcome = PortPlease(body);
                return true;
            case EpmdCodes.NamesReq:
                Count("names");
                outcome = new Outcome(table.NamesReply, Disposition.Close);
                return true;
            default:
                outcome = default;
                return false;
        }
    }

    public Outcome Process(ReadOnlySpan<byte> body, IConnectionHandle connection)
    {
        if (TryProcessLookup(body, out var lookup))
            return lookup;
        switch (body[0])
        {
            case EpmdCodes.Alive2Req:
                Count("alive2");
                return Alive2(body, connection);
            case EpmdCodes.DumpReq:
                Count("dump");
                return LocalOnly(connection, "DUMP_REQ") ? new Outcome(table.DumpReply(), Disposition.Close) : Outcome.Silent;
            case EpmdCodes.KillReq:
                Count("kill");
                return Kill(connection);
            case EpmdCodes.StopReq:
                Count("stop");
                return Stop(body, connection);
            default:
                Count("garbage");
                return Refuse("garbage", $"got garbage (request code {body[0]})");
        }
    }

    private Outcome Alive2(ReadOnlySpan<byte> body, IConnectionHandle connection)
    {
        if (!LocalOnly(connection, "ALIVE2_REQ"))
            return Outcome.Silent;
        if (body.Length <= 13) // at least one byte of name
            return Refuse("alive2_size", $"packet too small for request ALIVE2_REQ ({body.Length})");
        int nameLength = BinaryPrimitives.ReadUInt16BigEndian(body[9..]);
        if (nameLength + 13 > body.Length)
            return Refuse("alive2_size", "Node name size error in ALIVE2_REQ");
        int extraLength = BinaryPrimitives.ReadUInt16BigEndian(body[(11 + nameLength)..]);
        if (extraLength + nameLength + 13 > body.Length)
            return Refuse("alive2_size", "Extra info size error in ALIVE2_REQ");
        var name = body.Slice(11, nameLength);
        if (name.Contains((byte)0))
            return Refuse("alive2_name", "node name contains ascii 0 in ALIVE2_REQ");

        var request = new Alive2Request
        {
            Port = BinaryPrimitives.ReadUInt16BigEndian(body[1..]),
            Type = body[3],
            Protocol = body[4],
            HighestVersion = BinaryPrimitives.ReadUInt16BigEndian(body[5..]),
            LowestVersion = BinaryPrimitives.ReadUInt16BigEndian(body[7..]),
            Name = name,
            Extra = body.Slice(13 + nameLength, extraLength),
        };
        var node = table.Register(request, connection, out var refusal);
        if (node is null)
        {
            EpmdLog.Notice(logger, refusal!);
            EpmdMetrics.DaemonRejected.Add(1, new KeyValuePair<string, object?>("reason", "alive2_refused"));
        }
        else
        {
            EpmdLog.NodeRegistered(logger, NodeTable.Show(name), node.Creation, node.Port);
            EpmdMetrics.DaemonRegistrations.Add(1);
        }

        var creation = node?.Creation ?? EpmdCodes.RefusedCreation;
        byte[] reply;
        if (request.HighestVersion >= 6)
        {
            reply = new byte[6];
            reply[0] = EpmdCodes.Alive2XResp;
            BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(2), creation);
        }
        else
        {
            reply = new byte[4];
            reply[0] = EpmdCodes.Alive2Resp;
            BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(2), (ushort)creation);
        }

        reply[1] = node is null ? (byte)1 : (byte)0;
        // epmd keeps the connection after any ALIVE2 reply, refused or not, until the client closes it.
        return new Outcome(reply, Disposition.Keep);
    }

    private Outcome PortPlease(ReadOnlySpan<byte> body)
    {
        var size = body.Length;
        if (body[size - 1] == 0)
            size--; // a NUL-terminated name is accepted
        if (size <= 1)
            return Refuse("port2_size", $"packet too small for request PORT2_REQ ({size})");
        var name = body[1..size];
        if (name.Contains((byte)0))
            return Refuse("port2_name", "node name contains ascii 0 in PORT2_REQ");
        // epmd checks the name with its terminating NUL, which counts as one more character:
        // names of 255 characters register but cannot be looked up. We keep that limit.
        var chars = NameCheck.CountCodePoints(name);
        if (chars < 0 || chars + 1 > EpmdCodes.MaxNameChars)
            return Refuse("port2_name", "invalid node name in PORT2_REQ");
        var node = table.Find(name);
        return new Outcome(node?.Port2Reply ?? NotFound, Disposition.Close);
    }

    private Outcome Kill(IConnectionHandle connection)
    {
        if (!LocalOnly(connection, "KILL_REQ"))
            return Outcome.Silent;
        if (!relaxedCommandCheck && table.Count > 0)
        {
            EpmdLog.Notice(logger, "Disallowed KILL_REQ, live nodes");
            return new Outcome(No, Disposition.Close);
        }

        EpmdLog.Notice(logger, "got KILL_REQ - terminates normal");
        return new Outcome(Ok, Disposition.Kill);
    }

    private Outcome Stop(ReadOnlySpan<byte> body, IConnectionHandle connection)
    {
        if (!LocalOnly(connection, "STOP_REQ"))
            return Outcome.Silent;
        if (!relaxedCommandCheck)
            return Refuse("stop_disallowed", "Disallowed STOP_REQ, no relaxed_command_check");
        if (body.Length <= 1)
            return Refuse("stop_size", $"packet too small for request STOP_REQ ({body.Length})");
        var name = body[1..];
        var nul = name.IndexOf((byte)0);
        if (nul >= 0)
            name = name[..nul]; // epmd compares C strings
        var node = table.UnregisterName(name);
        if (node is null)
            // epmd answers NOEXIST and then, falling through, STOPPED as well; its client reads 7 bytes.
            return new Outcome(NoExistStopped, Disposition.Close);
        EpmdLog.NodeStopped(logger, NodeTable.Show(name));
        EpmdMetrics.DaemonRegistrations.Add(-1);
        var owner = node.Owner;
        node.Owner = null;
        owner?.Abort();
        return new Outcome(Stopped, Disposition.Close);
    }

    private bool LocalOnly(IConnectionHandle connection, string request)
    {
        if (connection.IsLocal)
            return true;
        Refuse("not_local", request + " from non local address");
        return false;
    }

    private Outcome Refuse(string reason, string message)
    {
        EpmdLog.Notice(logger, message);
        EpmdMetrics.DaemonRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
        return Outcome.Silent;
    }

    private static void Count(string request) =>
        EpmdMetrics.DaemonRequests.Add(1, new KeyValuePair<string, object?>("request", request));
}
