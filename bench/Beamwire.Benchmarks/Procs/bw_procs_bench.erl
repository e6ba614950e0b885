%% The Erlang half of scripts/bench-procs.sh: the same process shapes the .NET driver runs
%% (bench/Beamwire.Benchmarks/Procs), timed the same way, printed as "shape value" lines.
-module(bw_procs_bench).
-behaviour(gen_server).
-export([local/1, serve/0, remote/1, echo/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

%% local([PingPongs, Senders, PerSender, Spawns, Idle, Calls])
%% Each timed shape runs three times and the best run counts (the same policy as the .NET side, whose
%% JIT needs the first runs; on a shared machine the best run is also the least disturbed one).
local([PingPongs, Senders, PerSender, Spawns, Idle, Calls]) ->
    out(pingpong, warm(fun pingpong/1, PingPongs)),
    out(fanin, warm(fun(M) -> fanin(Senders, M) end, PerSender)),
    out(spawn_exit, warm(fun spawn_exit/1, Spawns)),
    out(idle_bytes, idle(Idle)),
    out(gencall_local, warm(fun gencall_local/1, Calls)),
    halt().

warm(F, N) -> lists:max([F(N) || _ <- [1, 2, 3]]).

%% remote([ServerNode, Calls]): gen_server calls and rpc calls to a node running serve().
remote([Node, Calls]) ->
    true = net_kernel:connect_node(Node),
    _ = [gen_server:call({bw_bench_server, Node}, ping) || _ <- lists:seq(1, 100)],
    out(gencall_remote, warm(fun(N) -> rate(N, fun() -> call_n({bw_bench_server, Node}, N) end) end, Calls)),
    _ = [rpc:call(Node, ?MODULE, echo, [x]) || _ <- lists:seq(1, 100)],
    out(rpc, warm(fun(N) -> rate(N, fun() -> rpc_n(Node, N) end) end, Calls)),
    halt().

serve() ->
    {ok, _} = gen_server:start({local, bw_bench_server}, ?MODULE, [], []),
    io:format("ready~n"),
    receive never -> ok end.

echo(X) -> X.

out(Shape, Value) -> io:format("~s ~p~n", [Shape, Value]).

seconds(T0) -> (erlang:monotonic_time() - T0) / erlang:convert_time_unit(1, second, native).

rate(N, F) ->
    T0 = erlang:monotonic_time(),
    F(),
    round(N / seconds(T0)).

%% Two processes bounce N messages each way: messages per second.
pingpong(N) ->
    Pong = spawn(fun Loop() -> receive {From, M} -> From ! M, Loop(); stop -> ok end end),
    R = rate(2 * N, fun() -> ping(Pong, N) end),
    Pong ! stop,
    R.

ping(_, 0) -> ok;
ping(Pong, N) -> Pong ! {self(), N}, receive N -> ping(Pong, N - 1) end.

%% S senders, M messages each, one receiver: messages per second.
fanin(S, M) ->
    Self = self(),
    rate(S * M, fun() ->
        _ = [spawn(fun() -> send_n(Self, M) end) || _ <- lists:seq(1, S)],
        receive_n(S * M)
    end).

send_n(_, 0) -> ok;
send_n(P, K) -> P ! msg, send_n(P, K - 1).

receive_n(0) -> ok;
receive_n(K) -> receive msg -> receive_n(K - 1) end.

%% Spawn N processes that exit at once; done when every one has run and exited: processes per second.
spawn_exit(N) ->
    C = counters:new(1, [write_concurrency]),
    Base = erlang:system_info(process_count),
    rate(N, fun() ->
        spawn_loop(N, C),
        wait(fun() -> counters:get(C, 1) =:= N andalso erlang:system_info(process_count) =< Base end)
    end).

spawn_loop(0, _) -> ok;
spawn_loop(K, C) -> spawn(fun() -> counters:add(C, 1, 1) end), spawn_loop(K - 1, C).

wait(Done) ->
    case Done() of
        true -> ok;
        false -> timer:sleep(1), wait(Done)
    end.

%% N processes idle in receive: bytes of process memory each (the pid list itself not counted).
idle(N) ->
    erlang:garbage_collect(),
    M0 = erlang:memory(processes),
    Pids = [spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, N)],
    erlang:garbage_collect(),
    M1 = erlang:memory(processes) - erts_debug:flat_size(Pids) * erlang:system_info(wordsize),
    Base = erlang:system_info(process_count) - N,
    _ = [P ! stop || P <- Pids],
    wait(fun() -> erlang:system_info(process_count) =< Base end),
    round((M1 - M0) / N).

%% N sequential gen_server:call round trips to a local server: calls per second.
gencall_local(N) ->
    {ok, S} = gen_server:start(?MODULE, [], []),
    R = rate(N, fun() -> call_n(S, N) end),
    gen_server:stop(S),
    R.

call_n(_, 0) -> ok;
call_n(S, K) -> pong = gen_server:call(S, ping), call_n(S, K - 1).

rpc_n(_, 0) -> ok;
rpc_n(Node, K) -> x = rpc:call(Node, ?MODULE, echo, [x]), rpc_n(Node, K - 1).

init([]) -> {ok, nostate}.
handle_call(ping, _From, S) -> {reply, pong, S}.
handle_cast(_, S) -> {noreply, S}.
handle_info(_, S) -> {noreply, S}.
