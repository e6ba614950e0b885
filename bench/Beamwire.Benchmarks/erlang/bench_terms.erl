%% The Erlang half of scripts/bench-terms.sh: times term_to_binary/1 and binary_to_term/1 on the
%% corpus files the .NET half wrote (our ETF, decoded here, so both sides run the same terms), with
%% the same method: loops calibrated to ~200 ms a round, best of 7 rounds. Compiled, not evaluated,
%% so no interpreter overhead is counted. Prints: name encode_ns decode_ns.
-module(bench_terms).
-export([main/1]).

-define(ROUND_NS, 200000000).
-define(ROUNDS, 7).

main([Dir]) ->
    Names = ["control_tuple", "binary_1k_message", "list_of_100_maps", "list_of_10k_ints"],
    lists:foreach(fun(Name) -> bench(Dir, Name) end, Names),
    halt(0).

bench(Dir, Name) ->
    {ok, Ours} = file:read_file(filename:join(Dir, Name ++ ".etf")),
    Term = binary_to_term(Ours),
    Bin = term_to_binary(Term),
    Enc = measure(fun(N) -> encode_loop(Term, N, 0) end),
    Dec = measure(fun(N) -> decode_loop(Bin, N, 0) end),
    io:format("~s ~.1f ~.1f~n", [Name, Enc, Dec]).

encode_loop(_, 0, Acc) -> Acc;
encode_loop(T, N, Acc) -> encode_loop(T, N - 1, Acc + byte_size(term_to_binary(T))).

decode_loop(_, 0, Acc) -> Acc;
decode_loop(B, N, Acc) -> decode_loop(B, N - 1, Acc + used(binary_to_term(B))).

%% O(1), and keeps the compiler from dropping the call.
used(T) when is_list(T) -> 1;
used(_) -> 0.

measure(Loop) ->
    Loop(1000),
    N = calibrate(Loop, 1) * 4,
    lists:min([time_ns(Loop, N) / N || _ <- lists:seq(1, ?ROUNDS)]).

calibrate(Loop, N) ->
    case time_ns(Loop, N) >= ?ROUND_NS div 4 of
        true -> N;
        false -> calibrate(Loop, N * 2)
    end.

time_ns(Loop, N) ->
    T0 = erlang:monotonic_time(nanosecond),
    Loop(N),
    erlang:monotonic_time(nanosecond) - T0.
