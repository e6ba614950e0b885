using Beamwire.Soak.Driver;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Soak.Tests;

/// <summary>The soak's checker catches each broken invariant (a soak whose checker cannot fail proves nothing).</summary>
public class SoakLedgerTests
{
    private sealed record Node(AgentSpec Spec, int Incarnation) : ISoakNode;

    private static Node Make(string role, int incarnation = 1) =>
        new(new AgentSpec(role, AgentKind.Beamwire, OtpRelease.Otp25, role + "@h", role, "c", 4369, ""), incarnation);

    private static (SoakLedger Ledger, SessionRecord Session, Node A, Node B) Established()
    {
        var ledger = new SoakLedger(TextWriter.Null);
        var (a, b) = (Make("a"), Make("b"));
        var s = ledger.Open(a, b);
        ledger.OnLine(a, $"SESSION {s.Sid} b@h");
        return (ledger, s, a, b);
    }

    [Fact]
    public void A_clean_session_with_a_matching_fin_passes()
    {
        var (ledger, s, a, b) = Established();
        ledger.OnLine(a, $"FINSENT {s.Sid} b@h 400 20");
        ledger.OnLine(b, $"FINRX {s.Sid} 400 400");
        ledger.Finish();
        Assert.Empty(ledger.Violations);
        Assert.Equal(400, ledger.MessagesSent);
        Assert.Equal(20, ledger.CallsAnswered);
    }

    [Theory]
    [InlineData("GAP {0} 11 13", "lost")]
    [InlineData("DUP {0} 12 12", "repeated or out of order")]
    [InlineData("BADREPLY {0} b@h {{echo,3}}", "wrong reply")]
    [InlineData("SESSIONFAIL {0} b@h noproc", "could not start")]
    public void A_broken_sequence_or_call_is_a_violation(string line, string expected)
    {
        var (ledger, s, _, b) = Established();
        ledger.OnLine(b, string.Format(System.Globalization.CultureInfo.InvariantCulture, line, s.Sid));
        Assert.Contains(ledger.Violations, v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_lost_tail_and_a_missing_fin_are_violations()
    {
        var (ledger, s, a, b) = Established();
        ledger.OnLine(a, $"FINSENT {s.Sid} b@h 400 20");
        ledger.OnLine(b, $"FINRX {s.Sid} 400 380");
        var other = ledger.Open(b, a);
        ledger.OnLine(b, $"SESSION {other.Sid} a@h");
        ledger.Finish();
        Assert.Contains(ledger.Violations, v => v.Contains("tail was lost", StringComparison.Ordinal));
        Assert.Contains(ledger.Violations, v => v.Contains("no fin sent", StringComparison.Ordinal));
    }

    [Fact]
    public void A_death_must_be_of_a_killed_node_and_reported_once_each_way()
    {
        var (ledger, s, a, b) = Established();
        ledger.OnLine(a, $"DEATH {s.Sid} b@h 1 1 1 100 5 noconnection noconnection");
        Assert.Contains(ledger.Violations, v => v.Contains("not killed", StringComparison.Ordinal));

        (ledger, s, a, b) = Established();
        Assert.Equal([s], ledger.Killed(b));
        ledger.OnLine(a, $"CALLFAIL {s.Sid} b@h {{nodedown,b@h}}"); // fine: the peer was killed
        ledger.OnLine(a, $"DEATH {s.Sid} b@h 1 1 1 100 5 noconnection noconnection");
        ledger.Finish();
        Assert.Empty(ledger.Violations);
        Assert.Equal(1, ledger.DeathsReported);

        ledger.OnLine(a, $"DEATH {s.Sid} b@h 1 1 1 100 5 noconnection noconnection");
        Assert.Contains(ledger.Violations, v => v.Contains("reported twice", StringComparison.Ordinal));

        (ledger, s, a, b) = Established();
        ledger.Killed(b);
        ledger.OnLine(a, $"DEATH {s.Sid} b@h 2 1 0 100 5 noconnection none");
        Assert.Contains(ledger.Violations, v => v.Contains("exactly once", StringComparison.Ordinal));
        Assert.Contains(ledger.Violations, v => v.Contains("not noconnection", StringComparison.Ordinal));
    }

    [Fact]
    public void A_failed_call_between_live_nodes_is_a_violation()
    {
        var (ledger, s, a, b) = Established();
        ledger.OnLine(a, $"CALLFAIL {s.Sid} b@h timeout");
        ledger.OnLine(a, $"FINSENT {s.Sid} b@h 400 19");
        ledger.OnLine(b, $"FINRX {s.Sid} 400 400");
        ledger.Finish();
        Assert.Contains(ledger.Violations, v => v.Contains("call(s) failed between live nodes", StringComparison.Ordinal));
    }

    [Fact]
    public void The_killed_nodes_own_sessions_expect_nothing()
    {
        var (ledger, s, a, _) = Established();
        Assert.Empty(ledger.Killed(a));
        ledger.Finish();
        Assert.Empty(ledger.Violations);
        Assert.True(s.ObserverKilled);
    }
}
