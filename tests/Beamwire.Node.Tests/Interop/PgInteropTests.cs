using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

/// <summary>pg scopes shared with real Erlang and Elixir nodes: membership both ways, exits, nodedown, and a PubSub broadcast.</summary>
public class PgInteropTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private static readonly ErlangAtom G = ErlangAtom.Get("g");

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Groups_are_shared_with_an_erlang_node_and_members_leave_on_exit_and_nodedown(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release)
        {
            EpmdPort = epmd.Port, Cookie = TestNodes.Cookie, ExtraArgs = ["-kernel", "start_pg", "true"],
        });
        var pg = node.Pg;
        Assert.Equal(PingResult.Pong, await node.PingAsync(peer.NodeName));
        Assert.True(await TestNodes.EventuallyAsync(() => pg.Peers.Any(p => p.Node.Name == peer.NodeName), Wait));

        using var subscriber = node.CreateMailbox();
        var scope = pg.MonitorScope(subscriber);
        Assert.Empty(scope.Groups);

        // Ours, seen there: a joined twice (listed twice), b once.
        using var a = node.CreateMailbox();
        using var b = node.CreateMailbox();
        pg.Join(G, a.Pid);
        pg.Join(G, [a.Pid, b.Pid]);
        Assert.Equal("3", await TestNodes.EventuallyEvalAsync(peer, "length(pg:get_members(g)).", "3", Wait));
        Assert.Equal("[]", await peer.EvalTextAsync("pg:get_local_members(g)."));
        Assert.Equal("true", await peer.EvalTextAsync($"lists:member(g, pg:which_groups())."));

        // Theirs, seen here (and by the scope monitor), in two groups.
        var p1 = await PeerProcesses.EvalPidAsync(peer, "begin P1 = spawn(fun() -> receive stop -> ok end end), ok = pg:join(g, P1), ok = pg:join(h, P1), P1 end.");
        Assert.True(await TestNodes.EventuallyAsync(() => pg.GetMembers(G).Count == 4 && pg.GetMembers("h").SequenceEqual([p1]), Wait));
        Assert.Equal(3, pg.GetLocalMembers(G).Count);
        Assert.Equal(new[] { "g", "h" }, pg.WhichGroups().Select(t => t.ToString()).Order());
        Assert.Equal(["g"], pg.WhichLocalGroups().Select(t => t.ToString()));
        await ExpectAsync(subscriber, scope.Ref, "join", "g", [a.Pid]);
        await ExpectAsync(subscriber, scope.Ref, "join", "g", [a.Pid, b.Pid]);
        await ExpectAsync(subscriber, scope.Ref, "join", "g", [p1]);
        await ExpectAsync(subscriber, scope.Ref, "join", "h", [p1]);

        // A leave and an exit here are seen there.
        Assert.True(pg.Leave(G, a.Pid));
        Assert.False(pg.Leave("h", a.Pid));
        Assert.Equal("3", await TestNodes.EventuallyEvalAsync(peer, "length(pg:get_members(g)).", "3", Wait));
        a.Dispose();
        Assert.Equal("2", await TestNodes.EventuallyEvalAsync(peer, "length(pg:get_members(g)).", "2", Wait));
        await PeerProcesses.RegisterShellAsync(peer);
        node.Send("shell", peer.NodeName, b.Pid);
        Assert.Equal("true", await peer.EvalTextAsync("receive B when is_pid(B) -> lists:sort(pg:get_members(g)) =:= lists:sort([B, P1]) after 5000 -> timeout end."));

        // An exit there is seen here: P1 leaves both groups.
        await peer.EvalTextAsync("P1 ! stop.");
        Assert.True(await TestNodes.EventuallyAsync(() => pg.GetMembers(G).SequenceEqual([b.Pid]) && pg.GetMembers("h").Count == 0, Wait));
        Assert.Equal(["g"], pg.WhichGroups().Select(t => t.ToString()));

        // Nodedown: each side drops the other's members; a new connection syncs them back.
        var p2 = await PeerProcesses.EvalPidAsync(peer, "begin P2 = spawn(fun() -> receive stop -> ok end end), ok = pg:join(g, P2), P2 end.");
        Assert.True(await TestNodes.EventuallyAsync(() => pg.GetMembers(G).Contains(p2), Wait));
        var down = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.NodeDown += (_, e) => { if (e.Node.Full == peer.NodeName) down.TrySetResult(); };
        Assert.True(node.Disconnect(peer.NodeName));
        await down.Task.WaitAsync(Wait);
        Assert.Equal([b.Pid], pg.GetMembers(G)); // gone as soon as nodedown is raised
        Assert.Equal("true", await TestNodes.EventuallyEvalAsync(peer, "pg:get_members(g) =:= [P2].", "true", Wait));

        Assert.Equal(PingResult.Pong, await node.PingAsync(peer.NodeName));
        Assert.True(await TestNodes.EventuallyAsync(() => pg.GetMembers(G).Count == 2 && pg.GetMembers(G).Contains(p2), Wait));
        Assert.Equal("true", await TestNodes.EventuallyEvalAsync(peer, "lists:sort(pg:get_members(g)) =:= lists:sort([B, P2]).", "true", Wait));
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task A_pubsub_broadcast_over_a_named_scope_reaches_elixir_and_dotnet_subscribers(OtpRelease release)
    {
        // What Phoenix.PubSub's pg adapter does, in plain :pg calls: every node runs the PubSub's scope,
        // a subscriber joins the topic's group, a broadcast sends to every member of that group.
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { Kind = PeerKind.Elixir, EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        var pubsub = node.PgScope("Elixir.Chat.PubSub");
        var topic = ErlangBinary.FromUtf8("room:lobby");

        await peer.EvalTextAsync("{:ok, _} = :pg.start(Chat.PubSub)");
        await peer.EvalTextAsync("""
            shell = self()
            subscribe = fn name ->
              spawn(fn ->
                :ok = :pg.join(Chat.PubSub, "room:lobby", self())
                send(shell, {:joined, name})
                listen = fn listen -> receive do
                  {:chat, from, text} -> send(shell, {:got, name, from, text}); listen.(listen)
                  :stop -> :ok
                end end
                listen.(listen)
              end)
            end
            broadcast = fn topic, message ->
              for pid <- :pg.get_members(Chat.PubSub, topic), do: send(pid, message)
              :ok
            end
            :ok
            """);
        Assert.Equal(PingResult.Pong, await node.PingAsync(peer.NodeName));
        await peer.EvalTextAsync("s1 = subscribe.(:s1); s2 = subscribe.(:s2); :ok");
        Assert.Equal("[:s1, :s2]", await peer.EvalTextAsync("for n <- [:s1, :s2], do: (receive do {:joined, ^n} -> n after 10_000 -> :timeout end)"));

        using var dotnet = node.CreateMailbox();
        pubsub.Join(topic, dotnet.Pid);
        Assert.True(await TestNodes.EventuallyAsync(() => pubsub.GetMembers(topic).Count == 3, Wait));
        Assert.Equal("3", await TestNodes.EventuallyEvalAsync(peer, "length(:pg.get_members(Chat.PubSub, \"room:lobby\"))", "3", Wait));

        // .NET broadcasts: both Elixir subscribers (and our own) get it.
        var hello = new ErlangTuple(ErlangAtom.Get("chat"), ErlangBinary.FromUtf8("dotnet"), ErlangBinary.FromUtf8("hello from .NET"));
        foreach (var member in pubsub.GetMembers(topic)) dotnet.Send(member, hello);
        Assert.Equal(hello, await dotnet.ReceiveAsync(Wait));
        Assert.Equal("[:s1, :s2]", await peer.EvalTextAsync(
            "Enum.sort(for _ <- 1..2, do: (receive do {:got, n, \"dotnet\", \"hello from .NET\"} -> n after 10_000 -> :timeout end))"));

        // Elixir broadcasts: our subscriber gets it, as do the Elixir ones.
        await peer.EvalTextAsync("broadcast.(\"room:lobby\", {:chat, \"elixir\", \"hi from Elixir\"})");
        var hi = (ErlangTuple)await dotnet.ReceiveAsync(Wait);
        Assert.Equal("{chat,<<\"elixir\">>,<<\"hi from Elixir\">>}", hi.ToString());
        Assert.Equal("[:s1, :s2]", await peer.EvalTextAsync(
            "Enum.sort(for _ <- 1..2, do: (receive do {:got, n, \"elixir\", _} -> n after 10_000 -> :timeout end))"));

        // An Elixir subscriber that stops is no longer a member here; ours leaving is seen there.
        await peer.EvalTextAsync("send(s1, :stop)");
        Assert.True(await TestNodes.EventuallyAsync(() => pubsub.GetMembers(topic).Count == 2, Wait));
        Assert.True(pubsub.Leave(topic, dotnet.Pid));
        Assert.Equal("true", await TestNodes.EventuallyEvalAsync(peer, ":pg.get_members(Chat.PubSub, \"room:lobby\") == [s2]", "true", Wait));
        Assert.Empty(node.Pg.GetMembers(topic)); // the default scope is another overlay
    }

    private static async Task ExpectAsync(LocalProcess subscriber, ErlangReference subscription, string action, string group, ErlangPid[] pids)
    {
        var m = (ErlangTuple)await subscriber.ReceiveAsync(Wait);
        Assert.Equal(subscription, m[0]);
        Assert.Equal(action, m[1].ToString());
        Assert.Equal(group, m[2].ToString());
        Assert.Equal(pids, ((ErlangList)m[3]).Elements.ToArray());
    }
}
