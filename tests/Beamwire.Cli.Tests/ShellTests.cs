using Beamwire.Testing;
using Xunit;

namespace Beamwire.Cli.Tests;

/// <summary>
/// <c>beamwire shell</c> driven in a pseudo-terminal (tmux), typing the seed tutorial's commands
/// against real iex and erl nodes of each release and reading the screen.
/// </summary>
public sealed class ShellTests
{
    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Seed_walkthrough_with_a_real_iex_node_in_both_syntaxes(OtpRelease release)
    {
        using var box = new CliSandbox();
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var iex = await ErlangPeer.StartAsync(new PeerOptions(release) { Kind = PeerKind.Elixir, SName = TestHost.UniqueName("node2"), Cookie = "cookie", EpmdPort = epmd.Port });
        // A process on the iex node that answers {from, msg} with {:echo, msg}.
        await iex.EvalTextAsync("Process.register(spawn(fn -> Stream.repeatedly(fn -> receive do {from, m} -> send(from, {:echo, m}) end end) |> Stream.run() end), :echo)");
        var node1 = TestHost.UniqueName("node1");
        var self = $"{node1}@{TestHost.ShortName}";
        var node2 = iex.NodeName;
        await using var shell = await ShellScreen.StartAsync(self, box.Env(epmd.Port), "--sname", node1, "--cookie", "cookie");

        Assert.Equal($":{self}", await shell.EvalAsync("Node.self()"));
        Assert.Equal("[]", await shell.EvalAsync("Node.list()"));
        Assert.Equal("true", await shell.EvalAsync($"Node.connect(:\"{node2}\")"));
        Assert.Equal($"[:{node2}]", await shell.EvalAsync("Node.list()"));
        Assert.Equal(":pong", await shell.EvalAsync($":net_adm.ping(:{node2})"));
        Assert.Contains(self, await iex.EvalTextAsync("Node.list()"));
        Assert.Equal("[]", await shell.EvalAsync("Node.list(:hidden)"));
        Assert.Equal($"[:{node2}]", await shell.EvalAsync("Node.list(:connected)"));

        // The same in Erlang syntax, printed as erl prints.
        Assert.Equal("pong", await shell.EvalAsync($"net_adm:ping('{node2}')."));
        Assert.Equal($"[{node2}]", await shell.EvalAsync("nodes()."));

        // :net_adm.names() lists both nodes with their epmd ports.
        var names = await shell.EvalAsync(":net_adm.names()");
        Assert.StartsWith("{:ok, [", names);
        Assert.Contains($"{{~c\"{node1}\", ", names);
        Assert.Contains($"{{~c\"{node2.Split('@')[0]}\", ", names);

        // Messages from the shell's own process, both syntaxes; receive prints what arrived.
        Assert.StartsWith("{#PID<", await shell.EvalAsync($"send({{:echo, :{node2}}}, {{self(), :hi}})"));
        Assert.Equal("{:echo, :hi}", await shell.EvalAsync("receive do m -> m after 5000 -> :timeout end"));
        Assert.Equal(":timeout", await shell.EvalAsync("receive do m -> m after 100 -> :timeout end"));
        await shell.EvalAsync($"{{echo, '{node2}'}} ! {{self(), hello}}.");
        Assert.Equal("{echo,hello}", await shell.EvalAsync("receive {echo, X} -> {echo, X} after 5000 -> timeout end."));
        await shell.EvalAsync($"send({{:echo, :{node2}}}, {{self(), 42}})");
        // echo answers in order: once its answer to a second message is taken (selectively), 42 is waiting.
        await shell.EvalAsync($"send({{:echo, :{node2}}}, {{self(), :sync}})");
        Assert.Equal("synced", await shell.EvalAsync("receive {echo, sync} -> synced after 30000 -> timeout end."));
        Assert.Equal("{:echo, 42}\n:ok", (await shell.EvalAsync("flush()")).Replace("\r", ""));

        // rpc from the shell to the iex node; Elixir functions run there.
        Assert.Equal($":{node2}", await shell.EvalAsync($":rpc.call(:{node2}, :erlang, :node, [])"));
        Assert.Equal("\"HELLO\"", await shell.EvalAsync($":rpc.call(:{node2}, String, :upcase, [\"hello\"])"));
        Assert.Equal("** (UndefinedFunctionError) function :lists.nosuch/0 is undefined or private", await shell.EvalAsync($":erpc.call(:{node2}, :lists, :nosuch, [])"));

        // GenServer calls and casts from the shell's process to real gen_servers on the iex node.
        Assert.Equal(":yes", await shell.EvalAsync($"GenServer.call({{:net_kernel, :{node2}}}, {{:is_auth, :{self}}})"));
        Assert.Equal($":{node2}", await shell.EvalAsync($"GenServer.call({{:rex, :{node2}}}, {{:call, :erlang, :node, [], self()}}, 5000)"));
        Assert.Equal("yes", await shell.EvalAsync($"gen_server:call({{net_kernel, '{node2}'}}, {{is_auth, '{self}'}})."));
        Assert.Equal(":ok", await shell.EvalAsync($"GenServer.cast({{:rex, :{node2}}}, {{:cast, :erlang, :node, [], self()}})"));
        Assert.Equal($"** (exit) exited in: GenServer.call({{:nosuch, :{node2}}}, :hello, 300): time out (no reply)", await shell.EvalAsync($"GenServer.call({{:nosuch, :{node2}}}, :hello, 300)"));

        // Clear one-line errors, never a stack trace; the counter moves on.
        Assert.Equal("** (UndefinedFunctionError) function Node.connect/0 is undefined or private", await shell.EvalAsync("Node.connect()"));
        Assert.StartsWith("** (SyntaxError) iex:", await shell.EvalAsync("foo bar"));
        Assert.StartsWith("** (CompileError) undefined variable", await shell.EvalAsync("y"));

        // Multi-line input continues with iex's ...> prompt.
        await shell.Terminal.TypeLineAsync("Node.list(");
        await shell.Terminal.WaitForTextAsync($"...({self})");
        Assert.Equal($"[:{node2}]", await shell.EvalAsync(")", continued: true));
        var screen = await shell.Terminal.ScreenAsync();
        Assert.DoesNotContain("   at ", screen);
        Assert.DoesNotContain("Exception", screen);
    }

    // The editor is not interop: one release's peer (a name for completion, a ping) is enough.
    [Fact]
    public async Task Line_editing_completion_and_history_that_survives_a_restart()
    {
        const OtpRelease release = OtpRelease.Otp25;
        using var box = new CliSandbox();
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { Cookie = "cookie", EpmdPort = epmd.Port });
        var name = TestHost.UniqueName("ed");
        var self = $"{name}@{TestHost.ShortName}";
        await using (var shell = await ShellScreen.StartAsync(self, box.Env(epmd.Port), "--sname", name, "--cookie", "cookie"))
        {
            // Tab completes commands ...
            await shell.Terminal.TypeAsync("Node.se", "Tab");
            await shell.Terminal.WaitForTextAsync(shell.Prompt(1) + "Node.self()");
            await shell.Terminal.TypeAsync("", "Enter");
            await shell.WaitForPromptAsync(2);
            // ... and node names epmd knows, quoted as an atom.
            var peerAlive = peer.NodeName.Split('@')[0];
            await shell.Terminal.TypeAsync("Node.ping(:\"" + peerAlive[..5], "Tab");
            await shell.Terminal.WaitForTextAsync(shell.Prompt(2) + $"Node.ping(:\"{peer.NodeName}\"");
            await shell.Terminal.TypeAsync(")", "Enter");
            Assert.Equal(":pong", ShellScreen.Between(await shell.WaitForPromptAsync(3), $"Node.ping(:\"{peer.NodeName}\")", shell.Prompt(3).TrimEnd()));

            // Editing: move left, delete, insert, Ctrl-A/Ctrl-E.
            await shell.Terminal.TypeAsync("{:a, 1}", "Left", "BSpace");
            await shell.Terminal.TypeAsync("2", "C-a");
            await shell.Terminal.TypeAsync("x = ", "C-e", "Enter");
            Assert.Equal("{:a, 2}", ShellScreen.Between(await shell.WaitForPromptAsync(4), "x = {:a, 2}", shell.Prompt(4).TrimEnd()));
            // Ctrl-C cancels an evaluation that waits (a receive without after) and the shell goes on.
            await shell.Terminal.TypeAsync("receive do m -> m end", "Enter");
            await shell.Terminal.WaitForTextAsync(shell.Prompt(4) + "receive do m -> m end");
            // The editor took Enter once the cursor is at the start of the next line; from then on Ctrl-C
            // interrupts the evaluation (whether or not it has begun), so no sleep decides.
            for (var deadline = DateTime.UtcNow.AddSeconds(30); await shell.Terminal.CursorColumnAsync() != 0;)
            {
                Assert.True(DateTime.UtcNow < deadline, "the shell never took Enter:\n" + await shell.Terminal.ScreenAsync());
                await Task.Delay(50);
            }

            await shell.Terminal.TypeAsync("", "C-c");
            Assert.Equal("** (interrupted) evaluation cancelled with Ctrl-C", ShellScreen.Between(await shell.WaitForPromptAsync(5), shell.Prompt(4) + "receive do m -> m end", shell.Prompt(5).TrimEnd()));
            // Ctrl-C drops the line; Ctrl-D leaves.
            await shell.Terminal.TypeAsync("garbage", "C-c");
            await shell.Terminal.TypeAsync("", "C-d");
            await shell.Terminal.WaitForTextAsync("[exited 0]");
        }

        // History is in the file and comes back with Up in a new session.
        var history = await File.ReadAllTextAsync(Path.Combine(box.Home, ".beamwire", "shell_history"));
        Assert.Contains("x = {:a, 2}\n", history);
        await using (var again = await ShellScreen.StartAsync(self, box.Env(epmd.Port), "--sname", name, "--cookie", "cookie"))
        {
            await again.Terminal.TypeAsync("", "Up");
            await again.Terminal.WaitForTextAsync(again.Prompt(1) + "receive do m -> m end");
            await again.Terminal.TypeAsync("", "Up");
            await again.Terminal.WaitForTextAsync(again.Prompt(1) + "x = {:a, 2}");
            await again.Terminal.TypeAsync("", "Up", "Enter");
            Assert.Equal(":pong", ShellScreen.Between(await again.WaitForPromptAsync(2), $"Node.ping(:\"{peer.NodeName}\")", again.Prompt(2).TrimEnd()));
        }
    }

    [Theory, MemberData(nameof(OtpReleases.AllWithKinds), MemberType = typeof(OtpReleases))]
    public async Task Remsh_into_a_real_erl_or_iex_node_runs_commands_there(OtpRelease release, PeerKind kind)
    {
        using var box = new CliSandbox();
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var target = await ErlangPeer.StartAsync(new PeerOptions(release) { Kind = kind, Cookie = "cookie", EpmdPort = epmd.Port });
        await using var other = await ErlangPeer.StartAsync(new PeerOptions(release) { Cookie = "cookie", EpmdPort = epmd.Port });
        var echo = kind == PeerKind.Erl
            ? "register(echo, spawn(fun L() -> receive {F, M} -> F ! {echo, M}, L() end end))."
            : "Process.register(spawn(fn -> Stream.repeatedly(fn -> receive do {from, m} -> send(from, {:echo, m}) end end) |> Stream.run() end), :echo)";
        await target.EvalTextAsync(echo);
        await using var shell = await ShellScreen.StartAsync(target.NodeName, box.Env(epmd.Port), "--remsh", target.NodeName, "--cookie", "cookie");

        // The prompt and Node.self() are the target's; its connections, not the shell's.
        Assert.Equal($":{target.NodeName}", await shell.EvalAsync("Node.self()"));
        Assert.Equal("[]", await shell.EvalAsync("Node.list()"));
        Assert.Matches(@"^\[:""rem-[0-9a-f]{4}-", await shell.EvalAsync("Node.list(:hidden)"));
        // Node.connect runs on the target: afterwards the target (not the shell) lists the other node.
        Assert.Equal("true", await shell.EvalAsync($"Node.connect(:{other.NodeName})"));
        Assert.Contains(target.NodeName, await other.EvalTextAsync("nodes()."));
        Assert.Equal($"[:{other.NodeName}]", await shell.EvalAsync("Node.list()"));
        Assert.Equal(":pong", await shell.EvalAsync($":net_adm.ping(:{other.NodeName})"));
        Assert.Equal($"[{other.NodeName}]", await shell.EvalAsync("nodes()."));
        Assert.StartsWith("[#PID<0.0.0>, ", await shell.EvalAsync("Process.list()"));
        Assert.Contains(":echo", await shell.EvalAsync("Process.registered()"));
        Assert.Equal($"~c\"{(int)release}\"", await shell.EvalAsync(":erlang.system_info(:otp_release)"));
        // Elixir functions exist only on an iex target.
        Assert.Equal(kind == PeerKind.Elixir ? "\"HI\"" : "** (UndefinedFunctionError) function String.upcase/1 is undefined or private", await shell.EvalAsync("String.upcase(\"hi\")"));

        // send/receive use the shell's own process; a bare name is registered on the target.
        await shell.EvalAsync("send(:echo, {self(), :ping})");
        Assert.Equal("{:echo, :ping}", await shell.EvalAsync("receive do m -> m after 5000 -> :timeout end"));
        Assert.Equal("** (ArgumentError) argument error", await shell.EvalAsync(":erlang.atom_to_list(1)"));
    }

    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Remsh_into_a_beamwire_node_runs_commands_there(OtpRelease release)
    {
        using var box = new CliSandbox();
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var erl = await ErlangPeer.StartAsync(new PeerOptions(release) { Cookie = "cookie", EpmdPort = epmd.Port });
        var name = TestHost.UniqueName("bwtarget");
        var target = $"{name}@{TestHost.ShortName}";
        await using var node = BeamwireCli.Start(box.Env(epmd.Port), null, "node", "--sname", name, "--cookie", "cookie");
        await node.WaitForOutputAsync("started");
        await using var shell = await ShellScreen.StartAsync(target, box.Env(epmd.Port), "--remsh", target, "--cookie", "cookie");

        Assert.Equal($":{target}", await shell.EvalAsync("Node.self()"));
        Assert.Equal("[]", await shell.EvalAsync("Node.list()"));
        Assert.Matches(@"^\[:""rem-[0-9a-f]{4}-", await shell.EvalAsync("Node.list(:hidden)"));
        // The Beamwire node connects to the erl node and pings it; the erl node sees the Beamwire node.
        Assert.Equal("true", await shell.EvalAsync($"Node.connect(:{erl.NodeName})"));
        Assert.Contains(target, await erl.EvalTextAsync("nodes()."));
        Assert.Equal(":pong", await shell.EvalAsync($":net_adm.ping(:{erl.NodeName})"));
        Assert.Equal($"[{erl.NodeName}]", await shell.EvalAsync("nodes()."));
        Assert.Equal($":{erl.NodeName}", await shell.EvalAsync($":rpc.call(:{erl.NodeName}, :erlang, :node, [])"));
        Assert.StartsWith("[#PID<0.", await shell.EvalAsync("Process.list()"));
        Assert.Contains(":rex", await shell.EvalAsync("Process.registered()"));
        Assert.Equal(":yes", await shell.EvalAsync($"GenServer.call(:net_kernel, {{:is_auth, :{target}}})"));
        Assert.Equal("** (UndefinedFunctionError) function :lists.reverse/1 is undefined or private", await shell.EvalAsync(":lists.reverse([1])"));
        Assert.Equal("true", await shell.EvalAsync($"Node.disconnect(:{erl.NodeName})"));
        Assert.Equal("[]", await shell.EvalAsync("Node.list()"));
        // The node logged what the remote shell made it do.
        await node.WaitForOutputAsync($"[info] nodedown {erl.NodeName}: disconnect");
    }

    // Editing a line longer than the terminal is wide: it wraps, and moving, inserting and redrawing
    // across the wrap keep what is on screen equal to what is evaluated.
    [Fact]
    public async Task Long_lines_wrap_and_edit_correctly_in_a_narrow_terminal()
    {
        using var box = new CliSandbox();
        var name = TestHost.UniqueName("wrap");
        var self = $"{name}@{TestHost.ShortName}";
        await using var shell = await ShellScreen.StartAsync(self, box.Env(FreePort.Next()), 40, "--sname", name, "--cookie", "cookie");
        await shell.Terminal.TypeAsync("{:first_element, \"a string long enough to wrap twice\", :last, 2345}", "Left", "Left", "Left", "Left", "Left");
        await shell.Terminal.TypeAsync("1", "C-a");
        await shell.Terminal.TypeAsync("x = ", "Enter");
        var screen = (await shell.WaitForPromptAsync(2)).Replace("\n", "", StringComparison.Ordinal);
        const string expected = "{:first_element, \"a string long enough to wrap twice\", :last, 12345}";
        Assert.Contains(shell.Prompt(1) + "x = " + expected + expected, screen);
    }
}
