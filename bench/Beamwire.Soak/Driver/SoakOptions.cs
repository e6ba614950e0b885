namespace Beamwire.Soak.Driver;

/// <summary>How long the soak runs and how often it kills a node.</summary>
public sealed record SoakOptions
{
    /// <summary>Traffic time, from the first full mesh to the fin.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A node is killed (SIGKILL) and restarted every this long; the next kill waits for the last cycle to finish.</summary>
    public TimeSpan KillEvery { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Resident memory may grow by at most this much after the first minute (checked for runs of 2 minutes or more).</summary>
    public double RssGrowthLimit { get; init; } = 0.10;

    /// <summary>Progress and violations as they happen.</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;
}
