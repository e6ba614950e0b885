using System.Text;
using Beamwire.Node;
using Beamwire.Terms;

namespace Beamwire.Cli.Rpc;

/// <summary>
/// A group leader for remote calls: a mailbox speaking the Erlang I/O protocol, so that
/// <c>io:format</c> inside an rpc prints here (as it prints on the caller's terminal in Erlang)
/// instead of blocking the remote process. Output requests are printed and answered <c>ok</c>;
/// <c>{put_chars, Enc, M, F, A}</c> (what io:format sends) is formatted by the sender's node through
/// rpc; input requests get <c>eof</c>, anything else <c>{error, request}</c>.
/// </summary>
internal sealed class IoServer : IDisposable
{
    private static readonly ErlangAtom IoRequest = ErlangAtom.Get("io_request");
    private static readonly ErlangAtom IoReply = ErlangAtom.Get("io_reply");
    private static readonly ErlangAtom PutChars = ErlangAtom.Get("put_chars");
    private static readonly ErlangAtom Requests = ErlangAtom.Get("requests");
    private static readonly ErlangAtom Eof = ErlangAtom.Get("eof");
    private static readonly ErlangAtom Request = ErlangAtom.Get("request");
    private static readonly ErlangAtom Latin1 = ErlangAtom.Get("latin1");

    private readonly Mailbox _mailbox;
    private readonly Action<string> _write;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private IRpcClient? _formatter;

    public IoServer(BeamNode node, Action<string> write)
    {
        _mailbox = node.CreateMailbox();
        _write = write;
        _loop = Task.Run(LoopAsync);
    }

    public ErlangPid Pid => _mailbox.Pid;

    /// <summary>The rpc client used to run <c>io_lib:format</c> on the requesting node.</summary>
    public void UseFormatter(IRpcClient formatter) => _formatter = formatter;

    private async Task LoopAsync()
    {
        try
        {
            while (true)
            {
                var m = await _mailbox.ReceiveAsync(null, null, _stop.Token).ConfigureAwait(false);
                if (m is ErlangTuple { Count: 4 } t && ReferenceEquals(t[0], IoRequest) && t[1] is ErlangPid from)
                    _ = Task.Run(() => AnswerAsync(from, t[2], t[3]));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task AnswerAsync(ErlangPid from, ErlangTerm replyAs, ErlangTerm request)
    {
        var reply = await HandleAsync(from, request).ConfigureAwait(false);
        try
        {
            _mailbox.Send(from, new ErlangTuple(IoReply, replyAs, reply));
        }
        catch (ObjectDisposedException)
        {
            // Stopped meanwhile.
        }
    }

    private async Task<ErlangTerm> HandleAsync(ErlangPid from, ErlangTerm request)
    {
        switch (request)
        {
            case ErlangTuple { Count: 3 } t when ReferenceEquals(t[0], PutChars):
                return Print(t[2], ReferenceEquals(t[1], Latin1));
            case ErlangTuple { Count: 2 } t when ReferenceEquals(t[0], PutChars):
                return Print(t[1], latin1: true);
            case ErlangTuple { Count: 5 } t when ReferenceEquals(t[0], PutChars) && t[2] is ErlangAtom m && t[3] is ErlangAtom f && t[4] is ErlangList a:
                return await FormatAsync(from, m, f, a).ConfigureAwait(false);
            case ErlangTuple { Count: 2 } t when ReferenceEquals(t[0], Requests) && t[1] is ErlangList list:
                ErlangTerm last = ErlangAtom.Ok;
                for (var i = 0; i < list.Count; i++) last = await HandleAsync(from, list[i]).ConfigureAwait(false);
                return last;
            case ErlangAtom { Name: "getopts" }:
                return new ErlangList(new ErlangTuple(ErlangAtom.Get("binary"), ErlangAtom.False), new ErlangTuple(ErlangAtom.Get("encoding"), ErlangAtom.Get("unicode")));
            case ErlangTuple { Count: > 0 } t when t[0] is ErlangAtom { Name: "get_line" or "get_chars" or "get_until" or "get_password" }:
                return Eof;
            default:
                return new ErlangTuple(ErlangAtom.Error, Request);
        }
    }

    private async Task<ErlangTerm> FormatAsync(ErlangPid from, ErlangAtom m, ErlangAtom f, ErlangList a)
    {
        if (_formatter is null) return new ErlangTuple(ErlangAtom.Error, Request);
        var chars = await _formatter.CallAsync(from.Node.Name, m, f, a, TimeSpan.FromSeconds(10), _stop.Token).ConfigureAwait(false);
        return RpcTerms.IsBadRpc(chars, out _) ? new ErlangTuple(ErlangAtom.Error, Request) : Print(chars, latin1: false);
    }

    private ErlangTerm Print(ErlangTerm chars, bool latin1)
    {
        var sb = new StringBuilder();
        if (!CharData.TryAppend(sb, chars, latin1)) return new ErlangTuple(ErlangAtom.Error, Request);
        _write(sb.ToString());
        return ErlangAtom.Ok;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _mailbox.Dispose();
        _stop.Dispose();
    }
}
