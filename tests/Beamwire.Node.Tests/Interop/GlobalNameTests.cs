using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

/// <summary>global's names table shared between Erlang and Beamwire.</summary>
public class GlobalNameTests
{
    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Names_registered_on_either_side_are_seen_on_both(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        await using var a = await ErlangPeer.StartAsync(new PeerOptions(release) { SName = TestHost.UniqueName("a"), EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        Assert.Equal("pong", await a.EvalTextAsync($"net_adm:ping('{node.Self}')."));
        Assert.Equal("ok", await a.EvalTextAsync("global:sync().", TimeSpan.FromSeconds(30)));

        // Erlang registers: Beamwire sees the pid.
        Assert.Equal("yes", await a.EvalTextAsync("P = spawn(fun() -> receive stop -> ok end end), register(erl_owner, P), global:register_name(erl_name, P).", TimeSpan.FromSeconds(30)));
        var erlName = ErlangAtom.Get("erl_name");
        Assert.True(await TestNodes.EventuallyAsync(() => node.Global.WhereIs(erlName) is { } p && p.Node.Name == a.NodeName));
        Assert.Contains(erlName, node.Global.RegisteredNames());

        // Beamwire registers: Erlang sees it and global:send reaches the mailbox.
        using var mailbox = node.CreateMailbox();
        var bwName = ErlangAtom.Get("bw_name");
        Assert.True(await node.Global.RegisterAsync(bwName, mailbox.Pid));
        Assert.False(await node.Global.RegisterAsync(bwName, mailbox.Pid));
        Assert.Equal("true", await a.EvalTextAsync($"node(global:whereis_name(bw_name)) =:= '{node.Self}'."));
        await a.EvalTextAsync("global:send(bw_name, hello_global).");
        Assert.Equal(ErlangAtom.Get("hello_global"), await mailbox.ReceiveAsync(TimeSpan.FromSeconds(10)));

        // A name dies with its process, on both sides.
        await a.EvalTextAsync("erl_owner ! stop.");
        Assert.True(await TestNodes.EventuallyAsync(() => node.Global.WhereIs(erlName) is null));
        mailbox.Dispose();
        Assert.Equal("undefined", await TestNodes.EventuallyEvalAsync(a, "global:whereis_name(bw_name).", "undefined"));

        // Unregister from .NET; set_lock/trans from Erlang over both nodes completes.
        using var other = node.CreateMailbox();
        Assert.True(await node.Global.RegisterAsync(ErlangAtom.Get("bw_two"), other.Pid));
        await node.Global.UnregisterAsync(ErlangAtom.Get("bw_two"));
        Assert.Equal("undefined", await a.EvalTextAsync("global:whereis_name(bw_two)."));
        Assert.Equal("done", await a.EvalTextAsync("global:trans({res, self()}, fun() -> done end, [node() | nodes()]).", TimeSpan.FromSeconds(30)));
    }
}
