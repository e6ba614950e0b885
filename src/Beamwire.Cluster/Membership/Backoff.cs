namespace Beamwire.Cluster.Membership;

/// <summary>
/// Exponential backoff with jitter for retrying a peer: <c>min(Max, Initial·2^(n-1))</c> scaled by a
/// random 0.8–1.2 so that nodes that failed together do not retry in lockstep.
/// </summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    public TimeSpan Initial { get; } = initial;

    public TimeSpan Max { get; } = max;

    public TimeSpan Delay(int failures)
    {
        var exp = Math.Min(failures - 1, 30);
        var ms = Math.Min(Max.TotalMilliseconds, Initial.TotalMilliseconds * Math.Pow(2, Math.Max(0, exp)));
        return TimeSpan.FromMilliseconds(ms * (0.8 + Random.Shared.NextDouble() * 0.4));
    }
}
