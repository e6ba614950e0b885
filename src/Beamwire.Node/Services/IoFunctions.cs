using Beamwire.Node.Processes;
using Beamwire.Terms;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node.Services;

/// <summary>
/// The client side of io, and the group-leader policy. Code that runs here for a caller on another node
/// (rpc, erpc, remote spawn) has the caller's group leader, so <c>io:format</c> called through this node's
/// rex prints at the caller, as between BEAM nodes. Code that runs elsewhere on behalf of this node (our
/// rpc calls and remote spawns pass this node's group leader) prints here: the node's <c>user</c> is an
/// <see cref="IoServer"/> that writes the text to the log (category <c>Beamwire.Node.Io</c>, Information).
/// </summary>
internal static class IoFunctions
{
    private static readonly ErlangAtom IoRequest = ErlangAtom.Get("io_request");
    private static readonly ErlangAtom IoReply = ErlangAtom.Get("io_reply");
    private static readonly ErlangAtom PutChars = ErlangAtom.Get("put_chars");
    private static readonly ErlangAtom Unicode = ErlangAtom.Get("unicode");
    private static readonly ErlangAtom IoLib = ErlangAtom.Get("io_lib");
    private static readonly ErlangAtom Format = ErlangAtom.Get("format");
    private static readonly ErlangAtom Terminated = ErlangAtom.Get("terminated");
    private static readonly ErlangAtom NoTranslation = ErlangAtom.Get("no_translation");

    /// <summary>The node's <c>user</c> process: output of code run for this node, logged.</summary>
    public static IoServer CreateUser(BeamNode node)
    {
        var output = node.LoggerFactory.CreateLogger("Beamwire.Node.Io");
        return new IoServer(node, text =>
        {
            var line = text.TrimEnd('\n');
            IoLog.Output(output, line);
        });
    }

    /// <summary>
    /// Registers io:format/1,2, io:fwrite/1,2, io:put_chars/1 and io:nl/0, which send to the running
    /// process's group leader and, as io.erl does, fail with <c>badarg</c> (or <c>terminated</c>) on an error reply.
    /// </summary>
    public static void Register(FunctionRegistry functions)
    {
        functions.Register("io", "format", 1, (self, a) => OutputAsync(self, FormatRequest(a[0], ErlangList.Nil)));
        functions.Register("io", "format", 2, (self, a) => OutputAsync(self, FormatRequest(a[0], a[1])));
        functions.Register("io", "fwrite", 1, (self, a) => OutputAsync(self, FormatRequest(a[0], ErlangList.Nil)));
        functions.Register("io", "fwrite", 2, (self, a) => OutputAsync(self, FormatRequest(a[0], a[1])));
        functions.Register("io", "put_chars", 1, (self, a) => OutputAsync(self, new ErlangTuple(PutChars, Unicode, a[0])));
        functions.Register("io", "nl", 0, (self, _) => OutputAsync(self, new ErlangTuple(PutChars, Unicode, new ErlangString("\n"))));
    }

    private static ErlangTuple FormatRequest(ErlangTerm format, ErlangTerm args) =>
        new(PutChars, Unicode, IoLib, Format, new ErlangList(format, args));

    private static async ValueTask<ErlangTerm> OutputAsync(BeamProcess self, ErlangTerm request)
    {
        var reply = await RequestAsync(self, request).ConfigureAwait(false);
        if (reply is ErlangTuple { Count: 2 } e && ReferenceEquals(e[0], ErlangAtom.Error))
        {
            // io.erl's conv_reason.
            throw new ErlangErrorException(e[1] switch
            {
                ErlangAtom { Name: "terminated" } => Terminated,
                ErlangTuple { Count: 3 } t when ReferenceEquals(t[0], NoTranslation) => NoTranslation,
                _ => ErlangAtom.Badarg,
            });
        }

        return reply;
    }

    /// <summary>One io request to the group leader, as io.erl makes it: monitored, answered by <c>{io_reply, ReplyAs, Reply}</c>.</summary>
    internal static async ValueTask<ErlangTerm> RequestAsync(BeamProcess self, ErlangTerm request)
    {
        var gl = self.GroupLeader ?? self.Node.GroupLeaderPid;
        var replyAs = self.Node.MakeRef();
        var mref = self.Monitor(gl);
        self.Send(gl, new ErlangTuple(IoRequest, self.Pid, replyAs, request));
        var answer = await self.ReceiveAsync(
            m => m is ErlangTuple { Count: 3 } r && ReferenceEquals(r[0], IoReply) && r[1].Equals(replyAs) || ProcessAtoms.IsDownFor(m, mref)).ConfigureAwait(false);
        self.Demonitor(mref, flush: true);
        var t = (ErlangTuple)answer;
        return t.Count == 3 ? t[2] : new ErlangTuple(ErlangAtom.Error, Terminated);
    }
}

internal static partial class IoLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "{Text}")]
    public static partial void Output(ILogger logger, string text);
}
