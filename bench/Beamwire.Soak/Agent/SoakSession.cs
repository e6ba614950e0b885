using Beamwire.Node;
using Beamwire.Terms;

namespace Beamwire.Soak.Agent;

/// <summary>
/// One session to a peer's <c>soak_rx</c>, as soak_agent.erl runs it: it links to and monitors that
/// process and monitors its node, then every <see cref="Interval"/> sends <see cref="Batch"/> numbered
/// messages and makes one gen_server call to the peer's <c>soak_srv</c>. At the first sign of the
/// peer's death it stops sending and counts every DOWN, EXIT and nodedown that comes (until each has
/// come and nothing more has for <see cref="Grace"/>), then prints them on a DEATH line.
/// </summary>
internal sealed class SoakSession(string peer, long sid) : BeamProcess
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private const int Batch = 20;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan DeathWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    protected override async Task RunAsync()
    {
        TrapExit = true;
        ErlangPid rx, srv;
        try
        {
            var pids = (ErlangTuple)await GenServer.CallAsync(this, ServerRef.Remote("soak_srv", peer), SoakAtoms.Pids, CallTimeout);
            (rx, srv) = ((ErlangPid)pids[0], (ErlangPid)pids[1]);
        }
        catch (GenServerCallException e)
        {
            SoakAgent.Say($"SESSIONFAIL {sid} {peer} {e.Reason}");
            return;
        }

        Link(rx);
        var mref = Monitor(rx);
        MonitorNode(peer);
        SoakAgent.Say($"SESSION {sid} {peer}");
        long seq = 0, calls = 0;
        while (true)
        {
            var m = await TryReceiveAsync(null, Interval);
            if (m is null)
            {
                for (var i = 0; i < Batch; i++)
                {
                    seq++;
                    await SendAsync(rx, new ErlangTuple(SoakAtoms.Soak, new ErlangInteger(sid), new ErlangInteger(seq), Payload(seq)));
                }

                try
                {
                    var reply = await GenServer.CallAsync(this, srv, new ErlangTuple(SoakAtoms.Echo, new ErlangInteger(seq)), CallTimeout);
                    if (reply is ErlangTuple { Count: 2 } r && ReferenceEquals(r[0], SoakAtoms.Echo) && r[1] is ErlangInteger n && n.Value == seq) calls++;
                    else SoakAgent.Say($"BADREPLY {sid} {peer} {reply}");
                }
                catch (GenServerCallException e)
                {
                    SoakAgent.Say($"CALLFAIL {sid} {peer} {e.Reason}");
                }

                continue;
            }

            if (m is ErlangTuple { Count: 2 } fin && ReferenceEquals(fin[0], SoakAtoms.Fin) && fin[1] is ErlangPid from)
            {
                Send(rx, new ErlangTuple(SoakAtoms.SoakFin, new ErlangInteger(sid), new ErlangInteger(seq)));
                Unlink(rx);
                Demonitor(mref, flush: true);
                MonitorNode(peer, enable: false);
                SoakAgent.Say($"FINSENT {sid} {peer} {seq} {calls}");
                Send(from, new ErlangTuple(SoakAtoms.FinDone, new ErlangInteger(sid)));
                return;
            }

            var counts = new DeathCounts();
            if (counts.Count(m, mref, rx, peer))
            {
                await DyingAsync(counts, mref, rx, seq, calls);
                return;
            }
        }
    }

    private async Task DyingAsync(DeathCounts counts, ErlangReference mref, ErlangPid rx, long sent, long calls)
    {
        var deadline = DateTime.UtcNow + DeathWait;
        while (true)
        {
            var wait = counts.AllSeen ? Grace : deadline - DateTime.UtcNow;
            if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
            var m = await TryReceiveAsync(null, wait);
            if (m is null) break;
            if (m is ErlangTuple { Count: 2 } fin && ReferenceEquals(fin[0], SoakAtoms.Fin) && fin[1] is ErlangPid from)
                Send(from, new ErlangTuple(SoakAtoms.FinDone, new ErlangInteger(sid)));
            else
                counts.Count(m, mref, rx, peer);
        }

        SoakAgent.Say($"DEATH {sid} {peer} {counts.Downs} {counts.Exits} {counts.NodeDowns} {sent} {calls} {counts.DownReason} {counts.ExitReason}");
    }

    /// <summary>Mostly small messages; every 50th is 16 KiB (as soak_agent.erl's payload/1).</summary>
    private static ErlangBinary Payload(long seq)
    {
        var bytes = new byte[seq % 50 == 0 ? 16384 : 100];
        Array.Fill(bytes, (byte)seq);
        return new ErlangBinary(bytes);
    }

    /// <summary>The death signals one session saw.</summary>
    private sealed class DeathCounts
    {
        public int Downs { get; private set; }

        public int Exits { get; private set; }

        public int NodeDowns { get; private set; }

        public ErlangTerm DownReason { get; private set; } = SoakAtoms.None;

        public ErlangTerm ExitReason { get; private set; } = SoakAtoms.None;

        public bool AllSeen => Downs >= 1 && Exits >= 1 && NodeDowns >= 1;

        /// <summary>Counts <paramref name="m"/> if it is one of the three signals; false for anything else.</summary>
        public bool Count(ErlangTerm m, ErlangReference mref, ErlangPid rx, string peer)
        {
            switch (m)
            {
                case ErlangTuple { Count: 5 } d when ReferenceEquals(d[0], SoakAtoms.Down) && d[1].Equals(mref):
                    Downs++;
                    DownReason = d[4];
                    return true;
                case ErlangTuple { Count: 3 } e when ReferenceEquals(e[0], SoakAtoms.Exit) && e[1].Equals(rx):
                    Exits++;
                    ExitReason = e[2];
                    return true;
                case ErlangTuple { Count: 2 } n when ReferenceEquals(n[0], SoakAtoms.NodeDown) && n[1] is ErlangAtom a && a.Name == peer:
                    NodeDowns++;
                    return true;
                default:
                    return false;
            }
        }
    }
}
