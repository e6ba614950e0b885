using Beamwire.Terms;
using Beamwire.Testing;

namespace Beamwire.Node.Tests.Interop;

/// <summary>Moving pids between a test and an Erlang/Elixir peer's evaluator.</summary>
internal static class PeerProcesses
{
    private static readonly ErlangAtom BwPid = ErlangAtom.Get("bw_pid");

    /// <summary>Evaluates an expression that returns a pid (or a tuple) on the peer and decodes it.</summary>
    public static async Task<ErlangTerm> EvalTermAsync(ErlangPeer peer, string expression)
    {
        var r = await peer.EvalAsync(expression);
        if (!r.Ok) throw new InvalidOperationException($"{expression} raised: {r.Text}\n{peer.Output}");
        return TermDecoder.Decode(r.Etf);
    }

    public static async Task<ErlangPid> EvalPidAsync(ErlangPeer peer, string expression) => (ErlangPid)await EvalTermAsync(peer, expression);

    /// <summary>Registers the peer's evaluator as <c>shell</c> so the test can send it pids.</summary>
    public static Task RegisterShellAsync(ErlangPeer peer) =>
        peer.EvalTextAsync(peer.Options.Kind == PeerKind.Erl ? "register(shell, self())." : "Process.register(self(), :shell)");

    /// <summary>Binds <paramref name="variable"/> on the (Erlang) peer to <paramref name="pid"/>, sent from <paramref name="sender"/>.</summary>
    public static async Task BindAsync(ErlangPeer peer, LocalProcess sender, string variable, ErlangPid pid)
    {
        sender.Send("shell", peer.NodeName, new ErlangTuple(BwPid, ErlangAtom.Get(variable), pid));
        var got = await peer.EvalTextAsync($"receive {{bw_pid, '{variable}', {variable}}} -> ok after 5000 -> timeout end.");
        if (got != "ok") throw new InvalidOperationException($"the peer did not get {variable}: {got}");
    }

    /// <summary>Waits until the erl process bound to <paramref name="variable"/> has <paramref name="count"/> links (or monitors, with <paramref name="item"/> monitored_by).</summary>
    public static async Task WaitForAsync(ErlangPeer peer, string variable, int count, string item = "links")
    {
        var got = await Support.TestNodes.EventuallyEvalAsync(peer, $"length(element(2, process_info({variable}, {item}))).", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (got != count.ToString(System.Globalization.CultureInfo.InvariantCulture)) throw new InvalidOperationException($"{variable} has {got} {item}, expected {count}");
    }
}
