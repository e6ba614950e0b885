using Beamwire.Node;
using Beamwire.Terms;

namespace Beamwire.Soak.Agent;

/// <summary>
/// <c>soak_rx</c>: each session's messages must arrive numbered 1, 2, 3 ... with none missing, repeated
/// or out of order (GAP / DUP lines otherwise); a session's <c>{soak_fin, Sid, Last}</c> is answered with
/// a FINRX line giving the last number it saw. It traps exits: sessions of nodes that die are linked to it.
/// </summary>
internal sealed class SoakReceiver : BeamProcess
{
    private long _received;

    public long Received => Interlocked.Read(ref _received);

    protected override async Task RunAsync()
    {
        var last = new Dictionary<long, long>();
        while (true)
        {
            var m = await ReceiveAsync();
            if (m is ErlangTuple { Count: 4 } t && ReferenceEquals(t[0], SoakAtoms.Soak) && t[1] is ErlangInteger sid && t[2] is ErlangInteger seq)
            {
                var prev = last.GetValueOrDefault(sid.Value);
                if (seq.Value > prev + 1) SoakAgent.Say($"GAP {sid.Value} {prev + 1} {seq.Value}");
                else if (seq.Value <= prev) SoakAgent.Say($"DUP {sid.Value} {prev} {seq.Value}");
                last[sid.Value] = seq.Value;
                Interlocked.Increment(ref _received);
            }
            else if (m is ErlangTuple { Count: 3 } f && ReferenceEquals(f[0], SoakAtoms.SoakFin) && f[1] is ErlangInteger fsid && f[2] is ErlangInteger flast)
            {
                SoakAgent.Say($"FINRX {fsid.Value} {flast.Value} {last.GetValueOrDefault(fsid.Value)}");
                last.Remove(fsid.Value);
            }
        }
    }
}
