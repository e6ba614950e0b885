using Beamwire.Soak.Driver;
using Beamwire.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Beamwire.Soak.Tests;

/// <summary>
/// The soak for one minute (scripts/soak.sh runs it for longer): 3 Beamwire and 2 erl nodes (OTP 25
/// and 29) as separate OS processes, a kill and restart every 20 s (bw3, then e29). It checks
/// invariants only, never speed, so a loaded machine slows it without failing it.
/// </summary>
public class SoakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_minute_of_kills_and_restarts_loses_nothing_reports_every_death_once_and_leaks_nothing()
    {
        var log = new StringWriter();
        SoakReport report;
        try
        {
            report = await SoakRun.RunAsync(new SoakOptions { Duration = TimeSpan.FromSeconds(60), Log = log });
        }
        finally
        {
            output.WriteLine(log.ToString());
        }

        output.WriteLine(report.ToString());
        Assert.True(report.Passed, string.Join('\n', report.Violations));
        Assert.Equal(2, report.Cycles.Count);
        Assert.Equal(8, report.DeathsReported); // 4 sessions with each victim
        Assert.Equal(36, report.Sessions);      // 20 at the start, 8 more after each restart
        Assert.True(report.MessagesSent > 0 && report.CallsAnswered > 0);
        Assert.Equal(3, report.Steady.Count);
        Assert.All(report.Steady.Values, checks => Assert.Equal(4, checks.Count)); // start, two cycles, end

        // Every OS process the run started (every incarnation, its children, epmd) is gone.
        Assert.Empty(ProcessTree.Survivors(report.Started));
    }
}
