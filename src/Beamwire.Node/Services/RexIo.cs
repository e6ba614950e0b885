using Beamwire.Node.Processes;
using Beamwire.Terms;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node.Services;

/// <summary>
/// Group-leader policy for io. Code that runs here for a caller on another node (rpc, erpc, remote
/// spawn) has the caller's group leader, so <c>io:format</c> called through this node's rex prints at the
/// caller, as between BEAM nodes. Code that runs elsewhere on behalf of this node (our rpc calls and
/// remote spawns pass this node's group leader) prints here: the node's <c>user</c> process answers the io
/// protocol and writes the text to the log (category <c>Beamwire.Node.Io</c>, Information); input
/// requests get <c>{error, enotsup}</c>. Nothing printed ever crashes a call.
/// </summary>
internal sealed class RexIo : ServiceProcess
{
    private static readonly ErlangAtom IoRequest = ErlangAtom.Get("io_request");
    private static readonly ErlangAtom IoReply = ErlangAtom.Get("io_reply");
    private static readonly ErlangAtom PutChars = ErlangAtom.Get("put_chars");
    private static readonly ErlangAtom Requests = ErlangAtom.Get("requests");
    private static readonly ErlangAtom Unicode = ErlangAtom.Get("unicode");
    private static readonly ErlangAtom IoLib = ErlangAtom.Get("io_lib");
    private static readonly ErlangAtom Format = ErlangAtom.Get("format");
    private static readonly ErlangAtom GetOpts = ErlangAtom.Get("getopts");
    private static readonly ErlangAtom EnotSup = ErlangAtom.Get("enotsup");
    private readonly ILogger _output;

    public RexIo(BeamNode node) : base(node, "user") => _output = node.LoggerFactory.CreateLogger("Beamwire.Node.Io");

    protected override void Handle(ErlangTerm message)
    {
        // {io_request, From, ReplyAs, Request} -> {io_reply, ReplyAs, Reply}
        if (message is ErlangTuple { Count: 4 } t && ReferenceEquals(t[0], IoRequest) && t[1] is ErlangPid from)
        {
            Node.Router.SendNow(Pid, from, new ErlangTuple(IoReply, t[2], Answer(t[3])));
            return;
        }

        ServiceLog.Ignored(Logger, Name.Name, message);
    }

    private ErlangTerm Answer(ErlangTerm request)
    {
        if (request is ErlangTuple { Count: 2 } rs && ReferenceEquals(rs[0], Requests) && ProcessAtoms.ListElements(rs[1]) is { } many)
        {
            ErlangTerm last = ErlangAtom.Ok;
            foreach (var r in many) last = Answer(r);
            return last;
        }

        if (ReferenceEquals(request, GetOpts)) return ErlangList.Nil;
        if (request is ErlangTuple { Count: > 1 } put && ReferenceEquals(put[0], PutChars) && Render(put) is { } text)
        {
            var line = text.TrimEnd('\n');
            IoLog.Output(_output, line);
            return ErlangAtom.Ok;
        }

        return new ErlangTuple(ErlangAtom.Error, EnotSup);
    }

    /// <summary>The text of a put_chars request: <c>{put_chars, Chars}</c>, <c>{put_chars, Enc, Chars}</c> or <c>{put_chars, Enc, M, F, A}</c>.</summary>
    private static string? Render(ErlangTuple put) => put.Count switch
    {
        2 => IoFormat.Chardata(put[1]),
        3 => IoFormat.Chardata(put[2]),
        5 when ReferenceEquals(put[2], IoLib) && ProcessAtoms.ListElements(put[4]) is { Length: 2 } fa => IoFormat.Format(fa[0], fa[1]),
        _ => null,
    };

    /// <summary>Registers io:format/1,2, io:fwrite/1,2, io:put_chars/1 and io:nl/0, which send to the running process's group leader.</summary>
    public static void Register(FunctionRegistry functions)
    {
        functions.Register("io", "format", 1, (self, a) => RequestAsync(self, FormatRequest(a[0], ErlangList.Nil)));
        functions.Register("io", "format", 2, (self, a) => RequestAsync(self, FormatRequest(a[0], a[1])));
        functions.Register("io", "fwrite", 1, (self, a) => RequestAsync(self, FormatRequest(a[0], ErlangList.Nil)));
        functions.Register("io", "fwrite", 2, (self, a) => RequestAsync(self, FormatRequest(a[0], a[1])));
        functions.Register("io", "put_chars", 1, (self, a) => RequestAsync(self, new ErlangTuple(PutChars, Unicode, a[0])));
        functions.Register("io", "nl", 0, (self, _) => RequestAsync(self, new ErlangTuple(PutChars, Unicode, new ErlangString("\n"))));
    }

    private static ErlangTuple FormatRequest(ErlangTerm format, ErlangTerm args) =>
        new(PutChars, Unicode, IoLib, Format, new ErlangList(format, args));

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
        return t.Count == 3 ? t[2] : new ErlangTuple(ErlangAtom.Error, ErlangAtom.Get("terminated"));
    }
}

internal static partial class IoLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "{Text}")]
    public static partial void Output(ILogger logger, string text);
}
