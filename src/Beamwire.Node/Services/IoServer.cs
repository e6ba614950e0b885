using Beamwire.Node.Processes;
using Beamwire.Terms;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node.Services;

/// <summary>
/// The server side of Erlang's io protocol: a group leader whose output goes to a text sink (the node's
/// <c>user</c> writes to its log, a <see cref="GroupLeader"/> to whatever its owner gives). Every
/// <c>{io_request, From, ReplyAs, Request}</c> gets exactly one <c>{io_reply, ReplyAs, Reply}</c>, an error one
/// when it must, as OTP's io servers answer: <c>{error, put_chars}</c> for output that is not text,
/// <c>{error, request}</c> for a request it does not know, <c>eof</c> for input (there is none). A fault while
/// answering is an error reply too, never a caller left waiting.
/// <para>
/// <c>{put_chars, Enc, M, F, A}</c> (what <c>io:format</c> sends) is applied where Erlang's group leader
/// would apply it, with the requester's own modules: by rpc on the requester's node, so a BEAM's
/// <c>io_lib:format</c> renders exactly as there. When that node cannot run it (this node, or a node
/// without <c>io_lib</c>), <see cref="IoFormat"/> renders <c>io_lib:format</c> here.
/// </para>
/// </summary>
internal sealed class IoServer : IProcess
{
    private static readonly ErlangAtom IoRequest = ErlangAtom.Get("io_request");
    private static readonly ErlangAtom IoReply = ErlangAtom.Get("io_reply");
    private static readonly ErlangAtom PutChars = ErlangAtom.Get("put_chars");
    private static readonly ErlangAtom Requests = ErlangAtom.Get("requests");
    private static readonly ErlangAtom Latin1 = ErlangAtom.Get("latin1");
    private static readonly ErlangAtom IoLib = ErlangAtom.Get("io_lib");
    private static readonly ErlangAtom Format = ErlangAtom.Get("format");
    private static readonly ErlangAtom Fwrite = ErlangAtom.Get("fwrite");
    private static readonly ErlangAtom Eof = ErlangAtom.Get("eof");
    private static readonly ErlangAtom Request = ErlangAtom.Get("request");
    private static readonly ErlangAtom EnotSup = ErlangAtom.Get("enotsup");
    private static readonly ErlangTuple PutCharsError = new(ErlangAtom.Error, PutChars);
    private static readonly ErlangTuple RequestError = new(ErlangAtom.Error, Request);
    private static readonly ErlangList Options = new(
        new ErlangTuple(ErlangAtom.Get("binary"), ErlangAtom.False), new ErlangTuple(ErlangAtom.Get("encoding"), ErlangAtom.Get("unicode")));

    /// <summary>How long the requester's node gets to run <c>M:F(A)</c> of a put_chars request.</summary>
    internal static readonly TimeSpan ApplyTimeout = TimeSpan.FromSeconds(10);

    private readonly BeamNode _node;
    private readonly Action<string> _write;
    private readonly ILogger _logger;

    public IoServer(BeamNode node, Action<string> write)
    {
        _node = node;
        _write = write;
        _logger = node.LoggerFactory.CreateLogger("Beamwire.Node.Services.IoServer");
        Pid = node.Processes.NewPid();
    }

    public ErlangPid Pid { get; }

    public void Deliver(ErlangTerm message)
    {
        if (message is not ErlangTuple { Count: 4 } t || !ReferenceEquals(t[0], IoRequest) || t[1] is not ErlangPid from)
        {
            ServiceLog.Ignored(_logger, "io server", message);
            return;
        }

        var replyAs = t[2];
        ValueTask<ErlangTerm> answer;
        try
        {
            answer = AnswerAsync(from, t[3]);
        }
#pragma warning disable CA1031 // whatever goes wrong, the requester gets its reply
        catch (Exception ex)
#pragma warning restore CA1031
        {
            answer = new ValueTask<ErlangTerm>(Failed(ex, t[3]));
        }

        if (answer.IsCompletedSuccessfully) Reply(from, replyAs, answer.Result);
        else _ = ReplyWhenDoneAsync(from, replyAs, answer, t[3]);
    }

    private async Task ReplyWhenDoneAsync(ErlangPid from, ErlangTerm replyAs, ValueTask<ErlangTerm> answer, ErlangTerm request)
    {
        ErlangTerm reply;
        try
        {
            reply = await answer.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // whatever goes wrong, the requester gets its reply
        catch (Exception ex)
#pragma warning restore CA1031
        {
            reply = Failed(ex, request);
        }

        Reply(from, replyAs, reply);
    }

    private ErlangTuple Failed(Exception ex, ErlangTerm request)
    {
        ServiceLog.Failed(_logger, ex, "io server", request.ToString());
        return IsPutChars(request, out _) ? PutCharsError : RequestError;
    }

    private void Reply(ErlangPid to, ErlangTerm replyAs, ErlangTerm reply) =>
        _node.Router.SendNow(Pid, to, new ErlangTuple(IoReply, replyAs, reply));

    private async ValueTask<ErlangTerm> AnswerAsync(ErlangPid from, ErlangTerm request)
    {
        if (IsPutChars(request, out var put))
        {
            switch (put.Count)
            {
                case 2: return Print(put[1], latin1: true); // {put_chars, Chars}: the old latin1 form
                case 3: return Print(put[2], ReferenceEquals(put[1], Latin1));
                case 4 when put[1] is ErlangAtom m && put[2] is ErlangAtom f && ProcessAtoms.ListElements(put[3]) is { } a:
                    return Print(await ApplyAsync(from, m, f, a).ConfigureAwait(false), latin1: true);
                case 5 when put[2] is ErlangAtom m && put[3] is ErlangAtom f && ProcessAtoms.ListElements(put[4]) is { } a:
                    return Print(await ApplyAsync(from, m, f, a).ConfigureAwait(false), ReferenceEquals(put[1], Latin1));
                default: return PutCharsError;
            }
        }

        if (request is ErlangTuple { Count: 2 } rs && ReferenceEquals(rs[0], Requests))
        {
            // io_requests: in order, stopping at the first error.
            if (ProcessAtoms.ListElements(rs[1]) is not { } many) return RequestError;
            ErlangTerm last = ErlangAtom.Ok;
            foreach (var r in many)
            {
                last = await AnswerAsync(from, r).ConfigureAwait(false);
                if (last is ErlangTuple { Count: 2 } e && ReferenceEquals(e[0], ErlangAtom.Error)) break;
            }

            return last;
        }

        return request switch
        {
            ErlangAtom { Name: "getopts" } => Options,
            ErlangTuple { Count: 2 } t when t[0] is ErlangAtom { Name: "setopts" } => ErlangAtom.Ok,
            ErlangTuple { Count: > 1 } t when t[0] is ErlangAtom { Name: "get_line" or "get_chars" or "get_until" or "get_password" } => Eof,
            ErlangTuple { Count: 2 } t when t[0] is ErlangAtom { Name: "get_geometry" } => new ErlangTuple(ErlangAtom.Error, EnotSup),
            _ => RequestError,
        };
    }

    private static bool IsPutChars(ErlangTerm request, out ErlangTuple put)
    {
        put = (request as ErlangTuple)!;
        return put is { Count: >= 2 and <= 5 } && ReferenceEquals(put[0], PutChars);
    }

    private ErlangTerm Print(ErlangTerm? chars, bool latin1)
    {
        if (chars is null || IoFormat.Chardata(chars, latin1) is not { } text) return PutCharsError;
        _write(text);
        return ErlangAtom.Ok;
    }

    /// <summary>The chars of <c>M:F(A)</c>, run on the requester's node (see the class notes); null when it failed.</summary>
    private async ValueTask<ErlangTerm?> ApplyAsync(ErlangPid from, ErlangAtom m, ErlangAtom f, ErlangTerm[] a)
    {
        if (!ReferenceEquals(from.Node, _node.SelfAtom))
        {
            try
            {
                return await _node.RpcAsync(from.Node.Name, m.Name, f.Name, a, Pid, ApplyTimeout).ConfigureAwait(false);
            }
            catch (RpcException ex) when (!CannotRunThere(ex.Reason))
            {
                return null; // it ran and failed there (badarg ...): what Erlang's group leader answers too
            }
            catch (RpcException)
            {
                // Fall through: render it here.
            }
        }

        return (ReferenceEquals(m, IoLib) && (ReferenceEquals(f, Format) || ReferenceEquals(f, Fwrite)) && a.Length == 2 &&
                IoFormat.TryFormat(a[0], a[1], out var text))
            ? CodePoints(text)
            : null;
    }

    /// <summary>Text as a list of code points: chardata that either encoding reads as it is.</summary>
    private static ErlangList CodePoints(string text)
    {
        var points = new List<ErlangTerm>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsSurrogatePair(text, i)) points.Add(ErlangInteger.Create(char.ConvertToUtf32(text[i], text[++i])));
            else points.Add(ErlangInteger.Create(char.IsSurrogate(text[i]) ? 0xFFFD : text[i]));
        }

        return new ErlangList([.. points]);
    }

    /// <summary>nodedown, timeout, or the function does not exist there (a Beamwire node has no io_lib).</summary>
    private static bool CannotRunThere(ErlangTerm reason) =>
        reason is ErlangAtom { Name: "nodedown" or "timeout" } ||
        reason is ErlangTuple { Count: 2 } exit && ReferenceEquals(exit[0], ProcessAtoms.Exit) &&
        exit[1] is ErlangTuple { Count: 2 } why && ReferenceEquals(why[0], ProcessAtoms.Undef);
}
