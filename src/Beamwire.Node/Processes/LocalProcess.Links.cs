using Beamwire.Node.Processes;
using Beamwire.Terms;

namespace Beamwire.Node;

// Links and exit signals, with the link protocol of erl_dist_protocol ("Link Protocol"), used both
// locally and across the wire: per linked pid, 0 = active, else the id of our unacknowledged UNLINK_ID.
public abstract partial class LocalProcess
{
    private Dictionary<ErlangPid, ulong>? _links;
    private HashSet<ErlangAtom>? _remoteNodes;

    /// <summary>
    /// <c>link(Pid)</c>: links this process to a process on any node. If it does not exist, this process gets
    /// an exit signal <c>noproc</c> (<c>noconnection</c> if its node cannot be reached): a message when
    /// trapping exits, else it dies of it (and this call throws <see cref="ProcessExitException"/> when the
    /// target was local).
    /// </summary>
    public void Link(ErlangPid other)
    {
        ArgumentNullException.ThrowIfNull(other);
        ThrowIfExited();
        if (other.Equals(_pid)) return;
        lock (_gate)
        {
            if (_links is not null && _links.TryGetValue(other, out var state) && state == 0) return;
            (_links ??= [])[other] = 0; // sending LINK (re)activates, dropping any outstanding unlink
            NoteRemoteLocked(other.Node);
        }

        _node.Signals.SendLink(_pid, other);
        ThrowIfExited();
    }

    /// <summary>
    /// <c>unlink(Pid)</c>: once it returns, the link has no further effect on this process (an <c>'EXIT'</c>
    /// message may already be in the mailbox when trapping).
    /// </summary>
    public void Unlink(ErlangPid other)
    {
        ArgumentNullException.ThrowIfNull(other);
        ThrowIfExited();
        ulong id;
        lock (_gate)
        {
            if (_links is null || !_links.TryGetValue(other, out var state) || state != 0) return;
            id = _node.Signals.NextUnlinkId();
            _links[other] = id;
        }

        _node.Signals.SendUnlinkId(id, _pid, other);
    }

    /// <summary>The pids this process is linked to (active links).</summary>
    public IReadOnlyList<ErlangPid> Links
    {
        get
        {
            lock (_gate) return _links is null ? [] : _links.Where(l => l.Value == 0).Select(l => l.Key).ToList();
        }
    }

    /// <summary>LINK received: false when this process is gone (the sender gets <c>noproc</c>).</summary>
    internal bool OnLink(ErlangPid from)
    {
        lock (_gate)
        {
            if (_life != Alive) return false;
            if (_links is not null && _links.ContainsKey(from)) return true; // even when unlinking: both sides end up unlinked
            (_links ??= [])[from] = 0;
            NoteRemoteLocked(from.Node);
            return true;
        }
    }

    /// <summary>UNLINK_ID received: an active link goes; ours being unlinked stays until our ack arrives.</summary>
    internal void OnUnlinkId(ErlangPid from)
    {
        lock (_gate)
        {
            if (_links is not null && _links.TryGetValue(from, out var state) && state == 0) _links.Remove(from);
        }
    }

    /// <summary>UNLINK_ID_ACK received: the link goes if it is still the unlink we sent.</summary>
    internal void OnUnlinkAck(ulong id, ErlangPid from)
    {
        lock (_gate)
        {
            if (_links is not null && _links.TryGetValue(from, out var state) && state == id) _links.Remove(from);
        }
    }

    /// <summary>An exit signal due to a link: acted on if the link is active; the link is gone either way.</summary>
    internal void OnLinkExit(ErlangPid from, ErlangTerm reason)
    {
        lock (_gate)
        {
            if (_links is null || !_links.Remove(from, out var state) || state != 0) return;
        }

        ReactToExit(from, reason, fromLink: true);
    }

    /// <summary>An exit signal sent with <c>exit/2</c>.</summary>
    internal void OnExit2(ErlangPid from, ErlangTerm reason) => ReactToExit(from, reason, fromLink: false);

    private void ReactToExit(ErlangPid from, ErlangTerm reason, bool fromLink)
    {
        if (!fromLink && ReferenceEquals(reason, ErlangAtom.Kill))
        {
            Terminate(ErlangAtom.Killed); // untrappable
            return;
        }

        if (_trapExit)
        {
            Enqueue(ProcessAtoms.ExitMessage(from, reason));
            return;
        }

        if (ReferenceEquals(reason, ErlangAtom.Normal))
        {
            if (!fromLink && from.Equals(_pid)) Terminate(ErlangAtom.Normal); // exit(self(), normal)
            return;
        }

        Terminate(reason);
    }

    /// <summary>
    /// The connection to <paramref name="node"/> went down: every link over it breaks with
    /// <c>noconnection</c>, every monitor of a process there fires DOWN <c>noconnection</c>, monitors
    /// from there are forgotten.
    /// </summary>
    internal void OnConnectionLost(ErlangAtom node)
    {
        List<ErlangPid>? broken = null;
        List<(ErlangReference, MonitorEntry)>? down = null;
        lock (_gate)
        {
            if (_life != Alive) return;
            _remoteNodes?.Remove(node);
            if (_links is not null)
            {
                foreach (var (pid, state) in _links)
                {
                    if (!ReferenceEquals(pid.Node, node)) continue;
                    if (state == 0) (broken ??= []).Add(pid);
                }

                _links = RemoveWhere(_links, p => ReferenceEquals(p.Node, node));
            }

            if (_monitors is not null)
            {
                foreach (var (mref, m) in _monitors)
                {
                    if (ReferenceEquals(m.Node, node)) (down ??= []).Add((mref, m));
                }

                if (down is not null)
                {
                    foreach (var (mref, _) in down) _monitors.Remove(mref);
                }
            }

            if (_watchers is not null)
            {
                foreach (var mref in _watchers.Where(w => ReferenceEquals(w.Value.Pid.Node, node)).Select(w => w.Key).ToList())
                    _watchers.Remove(mref);
            }

            FailPendingSpawnsLocked(node);
        }

        if (down is not null)
        {
            foreach (var (mref, m) in down)
            {
                if (m.Alias) RemoveAlias(mref);
                Enqueue(ProcessAtoms.DownMessage(mref, m.Item, ErlangAtom.NoConnection));
            }
        }

        if (broken is not null)
        {
            foreach (var pid in broken) ReactToExit(pid, ErlangAtom.NoConnection, fromLink: true);
        }
    }

    private static Dictionary<ErlangPid, ulong>? RemoveWhere(Dictionary<ErlangPid, ulong> links, Func<ErlangPid, bool> drop)
    {
        foreach (var pid in links.Keys.Where(drop).ToList()) links.Remove(pid);
        return links.Count == 0 ? null : links;
    }

    /// <summary>Records that this process has a link or monitor across the connection to <paramref name="node"/> (under the lock).</summary>
    private void NoteRemoteLocked(ErlangAtom node)
    {
        if (ReferenceEquals(node, _node.SelfAtom)) return;
        if ((_remoteNodes ??= []).Add(node)) _node.Signals.AddInterest(node, this);
    }
}
