using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Groups;

/// <summary>pg scopes between two Beamwire nodes (no epmd, fixed ports), and the local API's rules.</summary>
public class PgTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly ErlangAtom G = ErlangAtom.Get("g");

    private static Task<BeamNode> StartAsync(int listen, int peer) => TestNodes.StartWithoutEpmdAsync("bwpg", listen, peer);

    [Fact]
    public async Task Members_are_seen_on_both_nodes_and_leave_on_exit_and_nodedown()
    {
        var (pa, pb) = (FreePort.Next(), FreePort.Next());
        await using var a = await StartAsync(pa, pb);
        var b = await StartAsync(pb, pa);
        try
        {
            Assert.True(await a.ConnectAsync(b.Self.Full));
            Assert.True(await TestNodes.EventuallyAsync(() => a.Pg.Peers.Count == 1 && b.Pg.Peers.Count == 1, Wait));

            using var x = a.CreateMailbox();
            using var y = b.CreateMailbox();
            using var watcher = a.CreateMailbox();
            var snapshot = a.Pg.Monitor(watcher, G);
            Assert.Empty(snapshot.Members);

            a.Pg.Join(G, x.Pid);
            b.Pg.Join(G, y.Pid);
            Assert.True(await TestNodes.EventuallyAsync(() => a.Pg.GetMembers(G).Count == 2 && b.Pg.GetMembers(G).Count == 2, Wait));
            Assert.Equal([x.Pid], a.Pg.GetLocalMembers(G));
            Assert.Equal([y.Pid], b.Pg.GetLocalMembers(G));
            Assert.Equal([G], b.Pg.WhichGroups());
            Assert.Equal([(ErlangTerm)G], a.Pg.WhichLocalGroups());

            // The group monitor saw both joins, ours and the remote one, with its reference.
            var joins = new List<ErlangPid>();
            for (var i = 0; i < 2; i++)
            {
                var m = (ErlangTuple)await watcher.ReceiveAsync(Wait);
                Assert.Equal(snapshot.Ref, m[0]);
                Assert.Equal("join", m[1].ToString());
                joins.AddRange(((ErlangList)m[3]).Elements.ToArray().Cast<ErlangPid>());
            }

            Assert.Equal(new[] { x.Pid, y.Pid }.OrderBy(p => p.Id), joins.OrderBy(p => p.Id));

            // Only local processes join; leaving a group one is not in says so.
            Assert.Throws<ArgumentException>(() => a.Pg.Join(G, y.Pid));
            Assert.False(a.Pg.Leave("other", x.Pid));

            // A member that exits leaves on both nodes.
            y.Dispose();
            Assert.True(await TestNodes.EventuallyAsync(() => a.Pg.GetMembers(G).Count == 1 && b.Pg.GetMembers(G).Count == 1, Wait));
            var leave = (ErlangTuple)await watcher.ReceiveAsync(Wait);
            Assert.Equal("leave", leave[1].ToString());
            Assert.Equal(y.Pid, ((ErlangList)leave[3]).Elements.ToArray()[0]);

            // A node that goes away takes its members with it.
            using var z = b.CreateMailbox();
            b.Pg.Join(G, z.Pid);
            Assert.True(await TestNodes.EventuallyAsync(() => a.Pg.GetMembers(G).Contains(z.Pid), Wait));
            await b.DisposeAsync();
            Assert.True(await TestNodes.EventuallyAsync(() => a.Pg.GetMembers(G).SequenceEqual([x.Pid]), Wait));
            Assert.True(a.Pg.Demonitor(snapshot.Ref));
            Assert.False(a.Pg.Demonitor(snapshot.Ref));
        }
        finally
        {
            await b.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_named_scope_is_shared_only_with_nodes_running_it_and_a_late_start_syncs()
    {
        var (pa, pb) = (FreePort.Next(), FreePort.Next());
        await using var a = await StartAsync(pa, pb);
        await using var b = await StartAsync(pb, pa);
        Assert.True(await a.ConnectAsync(b.Self.Full));

        var topic = ErlangBinary.FromUtf8("room:lobby");
        var chatA = a.PgScope("chat");
        using var x = a.CreateMailbox();
        chatA.Join(topic, x.Pid);
        chatA.Join(topic, x.Pid); // twice: listed twice, leaves twice
        Assert.Equal(2, chatA.GetMembers(topic).Count);
        Assert.Empty(a.Pg.GetMembers(topic)); // scopes are independent
        Assert.Same(chatA, a.PgScope("chat"));

        // B starts the scope after the connection: it discovers A's scope, which syncs its members.
        var chatB = b.PgScope("chat");
        Assert.True(await TestNodes.EventuallyAsync(() => chatB.GetMembers(topic).Count == 2, Wait));
        Assert.True(chatA.Leave(topic, x.Pid));
        Assert.True(await TestNodes.EventuallyAsync(() => chatB.GetMembers(topic).Count == 1, Wait));
        Assert.True(chatA.Leave(topic, x.Pid));
        Assert.False(chatA.Leave(topic, x.Pid));
        Assert.True(await TestNodes.EventuallyAsync(() => chatB.WhichGroups().Count == 0, Wait));
    }
}
