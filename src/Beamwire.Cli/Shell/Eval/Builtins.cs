namespace Beamwire.Cli.Shell.Eval;

/// <summary>
/// How shell calls map onto Erlang functions: Elixir's <c>Node</c>/<c>Process</c> functions and
/// Erlang's auto-imported BIFs become the <c>erlang</c>/<c>net_kernel</c>/<c>net_adm</c> calls they
/// wrap (what then runs on the command node, local or remote); shell functions (<c>self</c>,
/// <c>send</c>, <c>flush</c>, <c>h</c>, GenServer, IO) run in the shell itself.
/// </summary>
internal static class Builtins
{
    /// <summary>Elixir module functions → the Erlang function they call.</summary>
    public static readonly Dictionary<(string Module, string Function, int Arity), (string Module, string Function)> ElixirToErlang = new()
    {
        [("Elixir.Node", "self", 0)] = ("erlang", "node"),
        [("Elixir.Node", "list", 0)] = ("erlang", "nodes"),
        [("Elixir.Node", "list", 1)] = ("erlang", "nodes"),
        [("Elixir.Node", "connect", 1)] = ("net_kernel", "connect_node"),
        [("Elixir.Node", "disconnect", 1)] = ("erlang", "disconnect_node"),
        [("Elixir.Node", "ping", 1)] = ("net_adm", "ping"),
        [("Elixir.Node", "alive?", 0)] = ("erlang", "is_alive"),
        [("Elixir.Node", "get_cookie", 0)] = ("erlang", "get_cookie"),
        [("Elixir.Process", "list", 0)] = ("erlang", "processes"),
        [("Elixir.Process", "registered", 0)] = ("erlang", "registered"),
        [("Elixir.Process", "whereis", 1)] = ("erlang", "whereis"),
        [("Elixir.Process", "alive?", 1)] = ("erlang", "is_process_alive"),
        [("Elixir.Process", "info", 1)] = ("erlang", "process_info"),
        [("Elixir.Process", "info", 2)] = ("erlang", "process_info"),
    };

    /// <summary>Erlang BIFs callable without <c>erlang:</c> (the ones an operator types at a prompt).</summary>
    public static readonly HashSet<(string Function, int Arity)> AutoImported =
    [
        ("node", 0), ("nodes", 0), ("nodes", 1), ("is_alive", 0), ("registered", 0), ("processes", 0),
        ("whereis", 1), ("disconnect_node", 1), ("is_process_alive", 1), ("process_info", 1), ("process_info", 2),
        ("make_ref", 0), ("self", 0),
    ];

    /// <summary>Commands listed by <c>h()</c> and offered by tab completion.</summary>
    public static readonly string[] Completions =
    [
        "Node.self()", "Node.list()", "Node.list(:hidden)", "Node.list(:connected)", "Node.connect(", "Node.disconnect(",
        "Node.ping(", "Node.alive?()", "Process.list()", "Process.registered()", "Process.whereis(", "GenServer.call(", "GenServer.cast(",
        ":net_adm.ping(", ":net_adm.names()", ":rpc.call(", ":erpc.call(", ":erlang.", "IO.puts(", "IO.inspect(",
        "self()", "send(", "receive do", "flush()", "h()",
        "net_adm:ping(", "net_adm:names().", "nodes().", "node().", "self().", "flush().", "rpc:call(", "erpc:call(", "erlang:",
    ];

    public const string Help = """
        Beamwire shell: iex-like, on a Beamwire node (or, with --remsh, on the node it joins).
        Elixir syntax                           Erlang syntax (end the line with '.')
          Node.self()  Node.list()                node().  nodes().
          Node.list(:hidden | :connected)         nodes(hidden).  nodes(connected).
          Node.connect(:"n@h")  Node.disconnect(…) net_kernel:connect_node('n@h').
          Node.ping(:"n@h")  :net_adm.ping(…)     net_adm:ping('n@h').
          :net_adm.names()                        net_adm:names().
          Process.list()  Process.registered()    processes().  registered().
          :rpc.call(node, mod, fun, args)         rpc:call(Node, Mod, Fun, Args).
          :erpc.call(node, mod, fun, args)        erpc:call(Node, Mod, Fun, Args).
          GenServer.call(server, req[, timeout])  gen_server:call(Server, Req).
          GenServer.cast(server, req)             gen_server:cast(Server, Req).
          send({name, node}, msg)  self()         {name, 'n@h'} ! Msg.  self().
          receive do m -> m after 1000 -> :none end   receive M -> M after 1000 -> none end.
          flush()  h()  x = expr                  flush().  X = expr.
        Any other Mod.fun(args) runs on the command node through rpc (with --remsh: the remote node).
        Keys: ←/→ Home/End (Ctrl-A/E), ↑/↓ history, Tab completion, Ctrl-U/K/W, Ctrl-C cancel, Ctrl-D quit.
        """;
}
