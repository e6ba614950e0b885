%% The Erlang half of scripts/bench-dist.sh: the same bench services the Beamwire side runs
%% (DistServices.cs), so every pair runs identical work. Compiled by the script with erlc.
-module(bw_dist_bench).
-export([start/0]).

start() ->
    register(sink, spawn(fun sink_idle/0)),
    register(bw_bench, spawn(fun server/0)),
    ok.

%% sink: {expect, N, ReplyTo} -> counts N {msg, _} messages, then ReplyTo ! {sink_done, N}.
sink_idle() ->
    receive
        {expect, N, ReplyTo} -> ReplyTo ! sink_ready, sink_count(N, N, ReplyTo)
    end.

sink_count(0, N, ReplyTo) -> ReplyTo ! {sink_done, N}, sink_idle();
sink_count(K, N, ReplyTo) -> receive {msg, _} -> sink_count(K - 1, N, ReplyTo) end.

server() ->
    receive
        {oneway, ReplyTo, Target, Count, Payload} ->
            spawn(fun() -> send_n(Target, {msg, Payload}, Count), ReplyTo ! {sent, Count} end);
        {spawn_echo, ReplyTo} ->
            ReplyTo ! {echo_pid, spawn(fun echo/0)};
        {pingpong, ReplyTo, Echo, Rounds} ->
            spawn(fun() -> ReplyTo ! {pingpong_done, pingpong(Echo, Rounds)} end);
        {window, ReplyTo, Echoes, InFlight, PerPair} ->
            spawn(fun() -> ReplyTo ! {window_done, window(Echoes, InFlight, PerPair)} end);
        stop -> erlang:halt(0)
    end,
    server().

send_n(_, _, 0) -> ok;
send_n(Target, Msg, K) -> Target ! Msg, send_n(Target, Msg, K - 1).

%% echo: {ping, From, X} -> From ! {pong, X}; stops on stop.
echo() ->
    receive
        {ping, From, X} -> From ! {pong, X}, echo();
        stop -> ok
    end.

%% Strict ping-pong: one message in flight; returns microseconds for all rounds.
pingpong(Echo, Rounds) ->
    Me = self(),
    T0 = erlang:monotonic_time(microsecond),
    lists:foreach(fun(I) -> Echo ! {ping, Me, I}, receive {pong, I} -> ok end end, lists:seq(1, Rounds)),
    erlang:monotonic_time(microsecond) - T0.

%% Windowed: one pinger per echo, each keeping InFlight pings outstanding until PerPair replies.
window(Echoes, InFlight, PerPair) ->
    Me = self(),
    T0 = erlang:monotonic_time(microsecond),
    Pids = [spawn(fun() -> pinger(E, InFlight, PerPair), Me ! {pinger_done, self()} end) || E <- Echoes],
    [receive {pinger_done, P} -> ok end || P <- Pids],
    erlang:monotonic_time(microsecond) - T0.

pinger(Echo, InFlight, PerPair) ->
    Me = self(),
    First = min(InFlight, PerPair),
    [Echo ! {ping, Me, I} || I <- lists:seq(1, First)],
    pinger_loop(Echo, Me, First, PerPair, PerPair).

pinger_loop(_, _, _, _, 0) -> ok;
pinger_loop(Echo, Me, Sent, PerPair, Left) ->
    receive {pong, _} -> ok end,
    case Sent < PerPair of
        true -> Echo ! {ping, Me, Sent + 1}, pinger_loop(Echo, Me, Sent + 1, PerPair, Left - 1);
        false -> pinger_loop(Echo, Me, Sent, PerPair, Left - 1)
    end.
