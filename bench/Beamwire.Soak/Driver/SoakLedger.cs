using System.Globalization;

namespace Beamwire.Soak.Driver;

/// <summary>One incarnation of a soak node, as the ledger tells them apart.</summary>
internal interface ISoakNode
{
    AgentSpec Spec { get; }

    int Incarnation { get; }
}

/// <summary>What the driver knows of one session: who sends to whom, and what each side reported.</summary>
internal sealed class SessionRecord(long sid, ISoakNode observer, ISoakNode peer)
{
    public long Sid { get; } = sid;

    /// <summary>The agent that runs the session (sends, calls, links, monitors).</summary>
    public ISoakNode Observer { get; } = observer;

    /// <summary>The agent whose soak_rx receives it.</summary>
    public ISoakNode Peer { get; } = peer;

    public bool Established { get; set; }

    public bool PeerKilled { get; set; }

    public bool ObserverKilled { get; set; }

    public string? Death { get; set; }

    public bool FinSent { get; set; }

    public bool FinReceived { get; set; }

    public int CallFailures { get; set; }

    public override string ToString() => $"session {Sid} {Observer.Spec.Role}#{Observer.Incarnation}→{Peer.Spec.Role}#{Peer.Incarnation}";
}

/// <summary>
/// Every session and every line the agents print, checked against the soak's invariants as it comes:
/// between live nodes no message is lost, repeated or reordered (GAP/DUP, FINRX), every call is
/// answered, and a killed node's death is reported to each session with it exactly once as each of
/// DOWN, EXIT and nodedown (reason <c>noconnection</c>), and never for a node that was not killed.
/// </summary>
internal sealed class SoakLedger(TextWriter log)
{
    private readonly object _gate = new();
    private readonly Dictionary<long, SessionRecord> _sessions = new();
    private readonly List<string> _violations = [];
    private long _nextSid;

    public long MessagesSent { get; private set; }

    public long CallsAnswered { get; private set; }

    public int DeathsReported { get; private set; }

    public int OtherLines { get; private set; }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate) return [.. _violations];
        }
    }

    public int SessionCount
    {
        get
        {
            lock (_gate) return _sessions.Count;
        }
    }

    public SessionRecord Open(ISoakNode observer, ISoakNode peer)
    {
        lock (_gate)
        {
            var s = new SessionRecord(++_nextSid, observer, peer);
            _sessions[s.Sid] = s;
            return s;
        }
    }

    public void Violation(string what)
    {
        lock (_gate) _violations.Add(what);
        log.WriteLine("VIOLATION: " + what);
    }

    /// <summary>Before the kill: the sessions with the victim now expect its death; its own sessions end with it.</summary>
    public IReadOnlyList<SessionRecord> Killed(ISoakNode victim)
    {
        lock (_gate)
        {
            var expecting = new List<SessionRecord>();
            foreach (var s in _sessions.Values)
            {
                if (ReferenceEquals(s.Observer, victim)) s.ObserverKilled = true;
                else if (ReferenceEquals(s.Peer, victim) && !s.ObserverKilled && s.Death is null && !s.FinSent)
                {
                    s.PeerKilled = true;
                    expecting.Add(s);
                }
            }

            return expecting;
        }
    }

    public bool HasDeath(SessionRecord s)
    {
        lock (_gate) return s.Death is not null;
    }

    public bool HasFinReceived(SessionRecord s)
    {
        lock (_gate) return s.FinReceived;
    }

    /// <summary>The sessions that must end with a fin: established, and neither side killed.</summary>
    public IReadOnlyList<SessionRecord> Live()
    {
        lock (_gate) return _sessions.Values.Where(s => s.Established && !s.PeerKilled && !s.ObserverKilled).ToList();
    }

    public void OnLine(ISoakNode agent, string line)
    {
        var w = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (w.Length == 0) return;
        lock (_gate)
        {
            switch (w[0])
            {
                case "READY" or "CONNECTED" or "STATS" or "FINDONE" when w[0] != "PROCS":
                    if (w is ["CONNECTED", var peer, "false"]) Add($"{agent.Spec.Role}#{agent.Incarnation} could not connect to {peer}");
                    return;
                case "SESSION" when Find(w, 1) is { } s:
                    s.Established = true;
                    return;
                case "SESSIONFAIL" when Find(w, 1) is { } s:
                    Add($"{s} could not start: {line}");
                    return;
                case "GAP" when Find(w, 1) is { } s:
                    Add($"{s}: message(s) lost between live nodes, expected {w[2]} next, got {w[3]}");
                    return;
                case "DUP" when Find(w, 1) is { } s:
                    Add($"{s}: message repeated or out of order, after {w[2]} came {w[3]}");
                    return;
                case "BADREPLY" when Find(w, 1) is { } s:
                    Add($"{s}: a gen_server call got the wrong reply: {line}");
                    return;
                case "CALLFAIL" when Find(w, 1) is { } s:
                    s.CallFailures++; // fine only if the peer was killed: checked at the end
                    return;
                case "DEATH" when Find(w, 1) is { } s && w.Length >= 10:
                    OnDeath(s, w, line);
                    return;
                case "FINSENT" when Find(w, 1) is { } s && w.Length >= 5:
                    s.FinSent = true;
                    MessagesSent += Long(w[3]);
                    CallsAnswered += Long(w[4]);
                    return;
                case "FINRX" when Find(w, 1) is { } s && w.Length >= 4:
                    s.FinReceived = true;
                    if (w[2] != w[3]) Add($"{s}: the receiver saw {w[3]} of {w[2]} messages at the fin (the tail was lost)");
                    return;
                case "FINLOST" when Find(w, 1) is { } s:
                    Add($"{s}: did not answer the fin");
                    return;
                case "UNKNOWN":
                    Add($"{agent.Spec.Role}#{agent.Incarnation} did not understand a command: {line}");
                    return;
            }
        }

        OtherLines++;
        log.WriteLine($"  [{agent.Spec.Role}] {line}");
    }

    private void OnDeath(SessionRecord s, string[] w, string line)
    {
        if (s.Death is not null)
        {
            Add($"{s}: death reported twice ({s.Death} / {line})");
            return;
        }

        s.Death = line;
        MessagesSent += Long(w[6]);
        CallsAnswered += Long(w[7]);
        if (!s.PeerKilled)
        {
            Add($"{s}: reported the death of a node that was not killed: {line}");
            return;
        }

        DeathsReported++;
        if (w[3] != "1" || w[4] != "1" || w[5] != "1")
            Add($"{s}: the death was not reported exactly once each as DOWN, EXIT and nodedown: {line}");
        if (w[8] != "noconnection" || w[9] != "noconnection")
            Add($"{s}: DOWN/EXIT reasons are not noconnection: {line}");
    }

    /// <summary>After the fin: what the run's end must have shown.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            foreach (var s in _sessions.Values)
            {
                if (s.CallFailures > 0 && !s.PeerKilled && !s.ObserverKilled) Add($"{s}: {s.CallFailures} gen_server call(s) failed between live nodes");
                if (!s.Established && !s.ObserverKilled) Add($"{s}: never established");
                if (s.Established && !s.PeerKilled && !s.ObserverKilled && !(s.FinSent && s.FinReceived))
                    Add($"{s}: no fin {(s.FinSent ? "received" : "sent")} between live nodes");
            }
        }
    }

    private SessionRecord? Find(string[] w, int at) =>
        w.Length > at && long.TryParse(w[at], NumberStyles.None, CultureInfo.InvariantCulture, out var sid) && _sessions.TryGetValue(sid, out var s) ? s : null;

    private static long Long(string s) => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0;

    private void Add(string what)
    {
        _violations.Add(what);
        log.WriteLine("VIOLATION: " + what);
    }
}
