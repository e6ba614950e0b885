using System.Net;
using Beamwire.Node;
using Beamwire.Terms;

namespace Beamwire.Soak.Agent;

/// <summary>
/// A Beamwire node in its own OS process speaking the soak's line protocol (the same as
/// <c>erlang/soak_agent.erl</c>): commands on stdin, events on stdout. It runs <c>soak_rx</c> (checks
/// every session's sequence), <c>soak_srv</c> (a GenServer answering <c>pids</c> and <c>{echo, X}</c>) and
/// one <see cref="SoakSession"/> process per session the driver starts.
/// </summary>
internal static class SoakAgent
{
    public static async Task<int> RunAsync(string name, string cookie, int epmdPort)
    {
        var options = new BeamNodeOptions
        {
            Name = name,
            Cookie = cookie,
            EpmdPort = epmdPort,
            Epmd = EpmdMode.External,
            ListenAddress = IPAddress.Loopback,
        };
        await using var node = await BeamNode.StartAsync(options);
        var receiver = new SoakReceiver();
        var rx = node.Spawn(receiver, new SpawnOptions { Name = "soak_rx", TrapExit = true });
        await GenServer.StartAsync(node, new SoakServer(rx), "soak_srv");
        using var control = node.CreateMailbox();
        var sessions = new Dictionary<long, ErlangPid>();
        Say($"READY {node.Self.Full}");

        while (await Console.In.ReadLineAsync() is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words)
            {
                case ["connect", var peer]:
                    Say($"CONNECTED {peer} {(await node.ConnectAsync(peer) ? "true" : "false")}");
                    break;
                case ["session", var peer, var sid]:
                    var id = long.Parse(sid, System.Globalization.CultureInfo.InvariantCulture);
                    sessions[id] = node.Spawn(new SoakSession(peer, id));
                    break;
                case ["fin"]:
                    foreach (var (id2, pid) in sessions) await FinAsync(control, id2, pid);
                    sessions.Clear();
                    Say("FINDONE");
                    break;
                case ["stats", var window]:
                    // Processes that exist at both ends of the window: what stays, without the ones that come and go.
                    var before = node.ListProcesses().ToHashSet();
                    await Task.Delay(int.Parse(window, System.Globalization.CultureInfo.InvariantCulture));
                    before.IntersectWith(node.ListProcesses());
                    foreach (var (id3, pid) in sessions.ToList())
                    {
                        if (!node.IsProcessAlive(pid)) sessions.Remove(id3);
                    }

                    Say($"STATS processes={before.Count} received={receiver.Received}");
                    break;
                case ["procs"]:
                    Say($"PROCS sessions=[{string.Join(",", sessions.Select(kv => $"{kv.Key}:{kv.Value}"))}] all=[{string.Join(",", node.ListProcesses())}]");
                    break;
                default:
                    Say($"UNKNOWN {line}");
                    break;
            }
        }

        return 0;
    }

    /// <summary>Tells a session to send its fin; a session that already ended (its peer died) answers with its DOWN.</summary>
    private static async Task FinAsync(Mailbox control, long id, ErlangPid session)
    {
        var mref = control.Monitor(session);
        control.Send(session, new ErlangTuple(SoakAtoms.Fin, control.Pid));
        var done = await control.TryReceiveAsync(
            m => m is ErlangTuple { Count: 2 } t && ReferenceEquals(t[0], SoakAtoms.FinDone) && t[1] is ErlangInteger i && i.Value == id ||
                 m is ErlangTuple { Count: 5 } d && d[1].Equals(mref),
            SoakSession.CallTimeout);
        if (done is null) Say($"FINLOST {id}");
        control.Demonitor(mref, flush: true);
    }

    /// <summary>One event line (Console.Out is synchronised: lines from several threads do not mix).</summary>
    public static void Say(string line) => Console.Out.WriteLine(line);
}
