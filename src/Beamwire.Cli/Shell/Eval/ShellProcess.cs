using Beamwire.Cli.Rpc;
using Beamwire.Node;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Eval;

/// <summary>
/// The shell's own process (a mailbox on the shell's node): <c>self()</c>, what <c>send</c> sends from,
/// where <c>receive</c> and <c>flush</c> take messages, and the caller of <c>GenServer.call</c>. With
/// <c>--remsh</c> it stays on the shell's node, so replies come straight back to the operator.
/// </summary>
internal sealed class ShellProcess(Mailbox mailbox, ErlangAtom commandNode, bool commandNodeIsLocal)
{
    public ErlangPid Pid => mailbox.Pid;

    /// <summary><c>send(dest, msg)</c>: dest is a pid, a name registered on the command node, or <c>{name, node}</c>.</summary>
    public void Send(ErlangTerm destination, ErlangTerm message)
    {
        switch (destination)
        {
            case ErlangPid pid:
                mailbox.Send(pid, message);
                break;
            case ErlangAtom name when commandNodeIsLocal:
                mailbox.Send(name.Name, message);
                break;
            case ErlangAtom name:
                mailbox.Send(name.Name, commandNode.Name, message);
                break;
            case ErlangTuple { Count: 2 } t when t[0] is ErlangAtom name && t[1] is ErlangAtom node:
                mailbox.Send(name.Name, node.Name, message);
                break;
            default:
                throw ShellError.Argument($"cannot send to {TermDisplay.Elixir(destination)}: use a pid, a registered name or {{name, node}}");
        }
    }

    public ValueTask<ErlangTerm> ReceiveAsync(Func<ErlangTerm, bool> match, TimeSpan? timeout, CancellationToken ct) =>
        mailbox.ReceiveAsync(match, timeout, ct);

    public bool TryTake(out ErlangTerm message) => mailbox.TryReceive(out message);

    /// <summary><c>GenServer.call</c>: <c>{'$gen_call', {self, Ref}, Request}</c>, then the <c>{Ref, Reply}</c>.</summary>
    public async Task<ErlangTerm> CallAsync(ErlangTerm server, ErlangTerm request, TimeSpan? timeout, ErlangReference tag, CancellationToken ct)
    {
        Send(server, GenCall.Request(Pid, tag, request));
        var reply = await mailbox.ReceiveAsync(m => GenCall.IsReply(m, tag), timeout, ct).ConfigureAwait(false);
        return GenCall.ReplyValue(reply);
    }

    public void Cast(ErlangTerm server, ErlangTerm request) => Send(server, GenCall.CastMessage(request));
}
