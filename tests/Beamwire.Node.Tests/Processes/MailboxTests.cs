using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Xunit;

namespace Beamwire.Node.Tests.Processes;

public sealed class MailboxTests : IAsyncLifetime
{
    private BeamNode _node = null!;

    public async Task InitializeAsync() =>
        _node = await BeamNode.StartAsync(new BeamNodeOptions
        {
            Name = Beamwire.Testing.TestHost.UniqueName("mb"), Cookie = "c", Epmd = EpmdMode.Disabled,
            ListenAddress = System.Net.IPAddress.Loopback, ListenPort = Beamwire.Testing.FreePort.Next(),
        });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static ErlangTuple Tagged(string tag, int n) => new ErlangTuple(ErlangAtom.Get(tag), ErlangInteger.Create(n));

    [Fact]
    public async Task Selective_receive_takes_the_first_match_and_keeps_the_rest_in_order()
    {
        using var a = _node.CreateMailbox();
        using var b = _node.CreateMailbox();
        b.Send(a.Pid, Tagged("x", 1));
        b.Send(a.Pid, Tagged("y", 2));
        b.Send(a.Pid, Tagged("x", 3));
        b.Send(a.Pid, Tagged("y", 4));
        var y = await a.ReceiveAsync(m => m is ErlangTuple t && ReferenceEquals(t[0], ErlangAtom.Get("y")), TimeSpan.FromSeconds(1));
        Assert.Equal(Tagged("y", 2), y);
        Assert.Equal(Tagged("x", 1), await a.ReceiveAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(Tagged("x", 3), await a.ReceiveAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(Tagged("y", 4), await a.ReceiveAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(0, a.Count);
    }

    [Fact]
    public async Task A_waiting_receive_skips_non_matching_arrivals()
    {
        using var a = _node.CreateMailbox();
        var wait = a.ReceiveAsync(m => m.Equals(ErlangAtom.Get("wanted")), TimeSpan.FromSeconds(5)).AsTask();
        _node.Send(a.Pid, ErlangAtom.Get("other"));
        Assert.False(wait.IsCompleted);
        _node.Send(a.Pid, ErlangAtom.Get("wanted"));
        Assert.Equal(ErlangAtom.Get("wanted"), await wait);
        Assert.True(a.TryReceive(out var rest));
        Assert.Equal(ErlangAtom.Get("other"), rest);
    }

    [Fact]
    public async Task Receive_times_out_and_can_be_cancelled()
    {
        using var a = _node.CreateMailbox();
        await Assert.ThrowsAsync<TimeoutException>(async () => await a.ReceiveAsync(TimeSpan.FromMilliseconds(50)));
        await Assert.ThrowsAsync<TimeoutException>(async () => await a.ReceiveAsync(TimeSpan.Zero));
        using var cts = new CancellationTokenSource(50);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await a.ReceiveAsync(null, null, cts.Token));
        // After a timeout the mailbox works as before.
        _node.Send(a.Pid, ErlangAtom.Ok);
        Assert.Equal(ErlangAtom.Ok, await a.ReceiveAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task One_receiver_at_a_time()
    {
        using var a = _node.CreateMailbox();
        var first = a.ReceiveAsync(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await a.ReceiveAsync(TimeSpan.FromSeconds(1)));
        _node.Send(a.Pid, ErlangAtom.Ok);
        Assert.Equal(ErlangAtom.Ok, await first);
    }

    [Fact]
    public async Task Registered_names_route_locally_and_are_freed_on_dispose()
    {
        var named = _node.CreateMailbox("svc");
        Assert.Throws<ArgumentException>(() => _node.CreateMailbox("svc"));
        _node.Send("svc", ErlangAtom.Ok);
        _node.Send("svc", _node.Self.Full, ErlangAtom.True);
        Assert.Equal(ErlangAtom.Ok, await named.ReceiveAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(ErlangAtom.True, await named.ReceiveAsync(TimeSpan.FromSeconds(1)));
        Assert.Contains("svc", _node.RegisteredNames);
        var pending = named.ReceiveAsync(TimeSpan.FromSeconds(5)).AsTask();
        named.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending);
        Assert.DoesNotContain("svc", _node.RegisteredNames);
        using var again = _node.CreateMailbox("svc");
        _node.Send(named.Pid, ErlangAtom.Ok); // a dead pid: the message vanishes, as in Erlang
        Assert.Equal(0, again.Count);
    }

    [Fact]
    public void Services_are_registered_like_on_a_beam_node()
    {
        foreach (var name in new[] { "net_kernel", "global_name_server", "rex", "pg" })
            Assert.Contains(name, _node.RegisteredNames);
    }

    [Fact]
    public void Pids_and_refs_carry_the_node_and_creation()
    {
        using var a = _node.CreateMailbox();
        using var b = _node.CreateMailbox();
        Assert.NotEqual(a.Pid, b.Pid);
        Assert.Same(_node.SelfAtom, a.Pid.Node);
        Assert.Equal(_node.Creation, a.Pid.Creation);
        var r1 = _node.MakeRef();
        Assert.NotEqual(r1, _node.MakeRef());
        Assert.Equal(_node.Creation, r1.Creation);
    }
}
