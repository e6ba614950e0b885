%% The Erlang half of the soak (bench/Beamwire.Soak): the same line protocol on stdin/stdout as the
%% Beamwire agent (Agent/SoakAgent.cs), so the driver cannot tell them apart.
%%
%% Commands (one a line on stdin):
%%   connect NODE        -> CONNECTED NODE true|false
%%   session NODE SID    a session to NODE's soak_rx (sequenced messages, gen_server calls, a link,
%%                       a monitor and monitor_node held) -> SESSION SID NODE | SESSIONFAIL SID NODE Why
%%   fin                 every session sends {soak_fin, Sid, LastSeq} and stops -> FINSENT SID NODE SENT CALLS ..., FINDONE
%%   stats WINDOW_MS     -> STATS processes=N received=N (processes alive at both ends of the window)
%% Events: GAP/DUP (a sequence broken), FINRX SID LAST GOT,
%% DEATH SID NODE DOWNS EXITS NODEDOWNS SENT CALLS DownWhy ExitWhy,
%% CALLFAIL/BADREPLY. End of input halts the node.
-module(soak_agent).
-behaviour(gen_server).
-export([main/0, init/1, handle_call/3, handle_cast/2]).

-define(BATCH, 20).
-define(INTERVAL, 50).
-define(CALL_TIMEOUT, 30000).
-define(DEATH_WAIT, 30000).
-define(GRACE, 2000).

main() ->
    Rx = spawn(fun() -> process_flag(trap_exit, true), rx(#{}, 0) end),
    register(soak_rx, Rx),
    {ok, _} = gen_server:start({local, soak_srv}, ?MODULE, [], []),
    say("READY ~s", [node()]),
    commands(#{}).

commands(Sessions) ->
    case io:get_line('') of
        eof -> halt(0);
        {error, _} -> halt(0);
        Line -> commands(command(string:lexemes(string:trim(Line), " "), Sessions))
    end.

command(["connect", N], S) ->
    say("CONNECTED ~s ~s", [N, net_kernel:connect_node(list_to_atom(N))]),
    S;
command(["session", N, Sid], S) ->
    Id = list_to_integer(Sid),
    S#{Id => spawn(fun() -> session(list_to_atom(N), Id) end)};
command(["fin"], S) ->
    [begin
         M = erlang:monitor(process, P),
         P ! {fin, self()},
         receive
             {fin_done, Id} -> erlang:demonitor(M, [flush]);
             {'DOWN', M, process, P, _} -> ok % it had ended (its peer died)
         after ?CALL_TIMEOUT -> say("FINLOST ~b", [Id])
         end
     end || {Id, P} <- maps:to_list(S)],
    say("FINDONE", []),
    #{};
command(["stats", Window], S) ->
    %% Processes that exist at both ends of the window: what stays, without the ones that come and go.
    Before = processes(),
    timer:sleep(list_to_integer(Window)),
    Persistent = length(Before -- (Before -- processes())),
    soak_rx ! {stats, self()},
    Received = receive {received, R} -> R after 5000 -> -1 end,
    say("STATS processes=~b received=~b", [Persistent, Received]),
    maps:filter(fun(_, P) -> is_process_alive(P) end, S);
command(["procs"], S) ->
    Info = [{P, erlang:process_info(P, [registered_name, current_function, initial_call])} || P <- processes()],
    say("PROCS sessions=~0p all=~0p", [maps:to_list(S), Info]),
    S;
command(Other, S) ->
    say("UNKNOWN ~0p", [Other]),
    S.

%% ---- the receiver: one sequence per session id ----------------------------------------------

rx(Last, Received) ->
    receive
        {soak, Sid, Seq, _Payload} ->
            Prev = maps:get(Sid, Last, 0),
            if
                Seq =:= Prev + 1 -> ok;
                Seq > Prev + 1 -> say("GAP ~b ~b ~b", [Sid, Prev + 1, Seq]);
                true -> say("DUP ~b ~b ~b", [Sid, Prev, Seq])
            end,
            rx(Last#{Sid => Seq}, Received + 1);
        {soak_fin, Sid, LastSeq} ->
            say("FINRX ~b ~b ~b", [Sid, LastSeq, maps:get(Sid, Last, 0)]),
            rx(maps:remove(Sid, Last), Received);
        {stats, From} ->
            From ! {received, Received},
            rx(Last, Received);
        _ -> % EXIT signals from the sessions of nodes that died (linked to us), anything else
            rx(Last, Received)
    end.

%% ---- a session: sender, caller, and watcher of the peer's death ---------------------------------

session(Node, Sid) ->
    process_flag(trap_exit, true),
    case call({soak_srv, Node}, pids) of
        {Rx, Srv} when is_pid(Rx), is_pid(Srv) ->
            link(Rx),
            Ref = erlang:monitor(process, Rx),
            monitor_node(Node, true),
            say("SESSION ~b ~s", [Sid, Node]),
            run({Node, Sid, Rx, Srv, Ref}, 0, 0);
        Other ->
            say("SESSIONFAIL ~b ~s ~0p", [Sid, Node, Other])
    end.

run({Node, Sid, Rx, Srv, Ref} = S, Seq, Calls) ->
    receive
        {fin, From} ->
            Rx ! {soak_fin, Sid, Seq},
            unlink(Rx),
            erlang:demonitor(Ref, [flush]),
            monitor_node(Node, false),
            say("FINSENT ~b ~s ~b ~b", [Sid, Node, Seq, Calls]),
            From ! {fin_done, Sid};
        {'DOWN', Ref, process, _, Why} -> dying(S, {1, 0, 0, Why, none}, deadline(), {Seq, Calls});
        {'EXIT', Rx, Why} -> dying(S, {0, 1, 0, none, Why}, deadline(), {Seq, Calls});
        {nodedown, Node} -> dying(S, {0, 0, 1, none, none}, deadline(), {Seq, Calls})
    after ?INTERVAL ->
        Next = send_batch(Rx, Sid, Seq, ?BATCH),
        case call(Srv, {echo, Next}) of
            {echo, Next} -> run(S, Next, Calls + 1);
            {'EXIT', Why} -> say("CALLFAIL ~b ~s ~0p", [Sid, Node, Why]), run(S, Next, Calls);
            Bad -> say("BADREPLY ~b ~s ~0p", [Sid, Node, Bad]), run(S, Next, Calls)
        end
    end.

send_batch(_Rx, _Sid, Seq, 0) -> Seq;
send_batch(Rx, Sid, Seq, N) ->
    Next = Seq + 1,
    Rx ! {soak, Sid, Next, payload(Next)},
    send_batch(Rx, Sid, Next, N - 1).

%% Mostly small messages; every 50th is 16 KiB (several reads, fragments on small buffers).
payload(Seq) when Seq rem 50 =:= 0 -> binary:copy(<<Seq:8>>, 16384);
payload(Seq) -> binary:copy(<<Seq:8>>, 100).

%% After the first sign of the peer's death: count every DOWN, EXIT and nodedown, until each has come
%% and nothing more has for a grace period (or the wait is over), then report the counts.
dying({Node, Sid, Rx, _Srv, Ref} = S, {D, E, N, DWhy, EWhy} = C, Deadline, {Seq, Calls} = Sent) ->
    Wait = case D >= 1 andalso E >= 1 andalso N >= 1 of
               true -> ?GRACE;
               false -> max(0, Deadline - erlang:monotonic_time(millisecond))
           end,
    receive
        {'DOWN', Ref, process, _, Why} -> dying(S, {D + 1, E, N, Why, EWhy}, Deadline, Sent);
        {'EXIT', Rx, Why} -> dying(S, {D, E + 1, N, DWhy, Why}, Deadline, Sent);
        {nodedown, Node} -> dying(S, {D, E, N + 1, DWhy, EWhy}, Deadline, Sent);
        {fin, From} -> From ! {fin_done, Sid}, dying(S, C, Deadline, Sent)
    after Wait ->
        say("DEATH ~b ~s ~b ~b ~b ~b ~b ~0p ~0p", [Sid, Node, D, E, N, Seq, Calls, DWhy, EWhy])
    end.

deadline() -> erlang:monotonic_time(millisecond) + ?DEATH_WAIT.

call(Server, Request) ->
    try gen_server:call(Server, Request, ?CALL_TIMEOUT)
    catch exit:Why -> {'EXIT', Why}
    end.

say(Format, Args) -> io:put_chars([io_lib:format(Format, Args), $\n]).

%% ---- soak_srv ------------------------------------------------------------------------------------

init([]) -> {ok, nostate}.

handle_call(pids, _From, S) -> {reply, {whereis(soak_rx), self()}, S};
handle_call({echo, X}, _From, S) -> {reply, {echo, X}, S}.

handle_cast(_, S) -> {noreply, S}.
