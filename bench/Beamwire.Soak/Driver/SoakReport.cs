using System.Globalization;
using System.Text;
using Beamwire.Testing;

namespace Beamwire.Soak.Driver;

/// <summary>One kill and restart: when, whom, how many sessions reported the death, and how long each step took from the kill.</summary>
public sealed record KillCycle(TimeSpan At, string Victim, int SessionsExpecting, int DeathsReported, TimeSpan Killed, TimeSpan Reported, TimeSpan Restarted, TimeSpan Meshed)
{
    public override string ToString() =>
        $"killed {Victim}: {DeathsReported}/{SessionsExpecting} sessions reported the death by {Reported.TotalSeconds:0.0} s " +
        $"(2 s of it waiting for duplicates), restarted by {Restarted.TotalSeconds:0.0} s, meshed with sessions by {Meshed.TotalSeconds:0.0} s";
}

/// <summary>A long-lived node's resident memory (kB): first sample, at one minute, at the end, highest overall and after one minute.</summary>
public sealed record RssFigure(string Node, long FirstKb, long? AtMinuteKb, long LastKb, long MaxKb, long? MaxAfterMinuteKb);

/// <summary>What a soak run measured, every invariant it saw broken (none, for a pass), and every OS process it started (all ended when the run returns).</summary>
public sealed record SoakReport(
    TimeSpan Traffic,
    IReadOnlyList<KillCycle> Cycles,
    int Sessions,
    long MessagesSent,
    long CallsAnswered,
    int DeathsReported,
    int OtherLines,
    IReadOnlyDictionary<string, ResourceSample> Baseline,
    IReadOnlyDictionary<string, IReadOnlyList<ResourceSample>> Steady,
    IReadOnlyList<RssFigure> Rss,
    IReadOnlyList<string> Violations,
    IReadOnlyList<OsProcess> Started)
{
    public bool Passed => Violations.Count == 0;

    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        b.AppendLine(c, $"soak: {Traffic.TotalSeconds:0} s of traffic, {Cycles.Count} kills ({string.Join(", ", Cycles.GroupBy(k => k.Victim).Select(g => $"{g.Key} x{g.Count()}"))}), {Sessions} sessions");
        b.AppendLine(c, $"  messages checked in order: {MessagesSent:N0} ({MessagesSent / Math.Max(1, Traffic.TotalSeconds):N0}/s), gen_server calls answered: {CallsAnswered:N0}");
        b.AppendLine(c, $"  deaths reported: {DeathsReported} of {Cycles.Sum(k => k.SessionsExpecting)} expected (each once as DOWN, EXIT and nodedown)");
        if (Cycles.Count > 0)
        {
            b.AppendLine(c, $"  per kill (from the kill): deaths reported by {Median(Cycles.Select(k => k.Reported))} s (median, 2 s grace included), " +
                $"restarted by {Median(Cycles.Select(k => k.Restarted))} s, meshed with sessions by {Median(Cycles.Select(k => k.Meshed))} s; slowest cycle {Cycles.Max(k => k.Meshed).TotalSeconds:0.0} s");
        }

        b.AppendLine("  long-lived nodes (steady checks after every cycle must equal the first):");
        b.AppendLine("    node               checks  sockets  reader thr  os procs  erl procs  threads (first/last/max)  fds (first/last)");
        foreach (var (role, samples) in Steady.OrderBy(s => s.Key))
        {
            var first = samples[0];
            var last = samples[^1];
            var name = Rss.FirstOrDefault(r => r.Node.StartsWith(role, StringComparison.Ordinal))?.Node ?? role;
            b.AppendLine(c, $"    {name,-18} {samples.Count,6}  {Pair(first.Sockets, last.Sockets),7}  {Pair(first.ReaderThreads, last.ReaderThreads),10}  {Pair(first.OsProcesses, last.OsProcesses),8}  {Pair(first.ErlangProcesses, last.ErlangProcesses),9}  {first.Threads,8}/{last.Threads}/{samples.Max(s => s.Threads),-12}  {first.Fds}/{last.Fds}");
        }

        b.AppendLine("  resident memory (MB): first / at 1 min / last / max after 1 min (growth vs 1 min)");
        foreach (var r in Rss)
        {
            var growth = r.AtMinuteKb is { } m && r.MaxAfterMinuteKb is { } max ? $"{(max - m) * 100.0 / m:+0.0;-0.0}%" : "n/a (run under 2 min)";
            b.AppendLine(c, $"    {r.Node,-18} {Mb(r.FirstKb)} / {Mb(r.AtMinuteKb)} / {Mb(r.LastKb)} / {Mb(r.MaxAfterMinuteKb)} ({growth})");
        }

        if (OtherLines > 0) b.AppendLine(c, $"  other output lines from the nodes: {OtherLines} (logged above)");
        b.AppendLine(Passed ? "  PASS: no invariant broken" : $"  FAIL: {Violations.Count} violation(s)");
        foreach (var v in Violations) b.AppendLine("    " + v);
        return b.ToString();
    }

    private static string Pair(int first, int last) => first == last ? $"{first}" : $"{first}→{last}";

    private static string Mb(long? kb) => kb is { } k ? (k / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) : "-";

    private static string Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[sorted.Count / 2].TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
    }
}
