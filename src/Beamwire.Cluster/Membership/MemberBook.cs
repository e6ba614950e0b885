namespace Beamwire.Cluster.Membership;

/// <summary>
/// Who a topology wants connected and when to try next: the bookkeeping every strategy shares.
/// Discovery only updates it (<see cref="Set"/>, <see cref="Add"/>); the topology asks it which
/// connects are due and which members are gone for longer than the grace period. Not thread-safe:
/// the topology holds a lock around it.
/// </summary>
internal sealed class MemberBook(TimeSpan grace, Backoff backoff)
{
    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);

    private sealed class Member
    {
        public bool Present = true;
        public DateTimeOffset? VanishedAt;
        public DateTimeOffset? ExpiresAt;
        public int Failures;
        public DateTimeOffset NextAttempt;
        public bool InFlight;
    }

    /// <summary>Members currently discovered (not vanished).</summary>
    public IReadOnlyList<string> Discovered
    {
        get
        {
            var list = new List<string>(_members.Count);
            foreach (var (n, m) in _members) if (m.Present) list.Add(n);
            return list;
        }
    }

    /// <summary>A polling strategy's full answer: new names are added, missing ones start their grace period.</summary>
    public void Set(IReadOnlyCollection<string> names, DateTimeOffset now)
    {
        var seen = new HashSet<string>(names, StringComparer.Ordinal);
        foreach (var n in seen) Touch(n, now, null);
        foreach (var (n, m) in _members)
        {
            if (seen.Contains(n) || !m.Present) continue;
            m.Present = false;
            m.VanishedAt = now;
        }
    }

    /// <summary>Additive discovery; with <paramref name="expiresAfter"/> a name not repeated within it is forgotten (never disconnected).</summary>
    public void Add(IReadOnlyCollection<string> names, DateTimeOffset now, TimeSpan? expiresAfter)
    {
        foreach (var n in names) Touch(n, now, expiresAfter is { } e ? now + e : null);
    }

    private void Touch(string name, DateTimeOffset now, DateTimeOffset? expires)
    {
        if (!_members.TryGetValue(name, out var m))
        {
            _members[name] = new Member { NextAttempt = now, ExpiresAt = expires };
            return;
        }

        if (!m.Present)
        {
            // Back before its grace ran out: a fresh start, tried at once.
            m.Present = true;
            m.VanishedAt = null;
            m.Failures = 0;
            m.NextAttempt = now;
        }

        m.ExpiresAt = expires;
    }

    /// <summary>Discovered members not connected whose next attempt is due; they are marked in flight.</summary>
    public List<string> TakeDueConnects(DateTimeOffset now, IReadOnlyCollection<string> connected)
    {
        var due = new List<string>();
        var up = connected as ISet<string> ?? new HashSet<string>(connected, StringComparer.Ordinal);
        foreach (var (n, m) in _members)
        {
            if (!m.Present || m.InFlight || up.Contains(n)) continue;
            if (m.NextAttempt > now) continue;
            m.InFlight = true;
            due.Add(n);
        }

        return due;
    }

    /// <summary>A connect returned: success clears the backoff, failure schedules the next try.</summary>
    public void ConnectFinished(string name, bool ok, DateTimeOffset now)
    {
        if (!_members.TryGetValue(name, out var m)) return;
        m.InFlight = false;
        if (ok)
        {
            m.Failures = 0;
            m.NextAttempt = now;
        }
        else
        {
            m.Failures++;
            m.NextAttempt = now + backoff.Delay(m.Failures);
        }
    }

    /// <summary>
    /// Forgets members gone for longer than the grace period (and additive ones past their expiry);
    /// returns the vanished ones (the caller disconnects them when pruning is on).
    /// </summary>
    public List<string> TakeExpired(DateTimeOffset now)
    {
        var gone = new List<string>();
        List<string>? forget = null;
        foreach (var (n, m) in _members)
        {
            if (!m.Present && m.VanishedAt is { } v && now - v >= grace)
            {
                gone.Add(n);
                (forget ??= []).Add(n);
            }
            else if (m.Present && m.ExpiresAt is { } e && now >= e && !m.InFlight)
            {
                (forget ??= []).Add(n);
            }
        }

        if (forget is not null) foreach (var n in forget) _members.Remove(n);
        return gone;
    }

    /// <summary>When something next becomes due (a retry, an expiry or the end of a grace period), if anything.</summary>
    public DateTimeOffset? NextDue(IReadOnlyCollection<string> connected)
    {
        var up = connected as ISet<string> ?? new HashSet<string>(connected, StringComparer.Ordinal);
        DateTimeOffset? next = null;
        foreach (var (n, m) in _members)
        {
            DateTimeOffset? t = m.Present ? (m.InFlight || up.Contains(n) ? null : m.NextAttempt) : m.VanishedAt + grace;
            if (m.Present && m.ExpiresAt is { } e && (t is null || e < t)) t = e;
            if (t is { } x && (next is null || x < next)) next = x;
        }

        return next;
    }

    /// <summary>How many discovered members are in <paramref name="connected"/>.</summary>
    public int CountConnected(IReadOnlyCollection<string> connected)
    {
        var up = connected as ISet<string> ?? new HashSet<string>(connected, StringComparer.Ordinal);
        var count = 0;
        foreach (var (n, m) in _members) if (m.Present && up.Contains(n)) count++;
        return count;
    }
}
