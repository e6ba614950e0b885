using Beamwire.Node;
using Beamwire.Terms;

namespace Beamwire.Benchmarks.Dist;

/// <summary>
/// The bench services on a Beamwire node, message for message the same as bw_dist_bench.erl runs on an
/// Erlang node: <c>sink</c> counts <c>{msg, _}</c>, <c>bw_bench</c> runs one-way senders, strict
/// ping-pong and windowed ping-pong against echo processes, and spawns echoes.
/// </summary>
internal sealed class DistServices : IDisposable
{
    private static readonly ErlangAtom Msg = ErlangAtom.Get("msg");
    private static readonly ErlangAtom Expect = ErlangAtom.Get("expect");
    private static readonly ErlangAtom SinkReady = ErlangAtom.Get("sink_ready");
    private static readonly ErlangAtom SinkDone = ErlangAtom.Get("sink_done");
    private static readonly ErlangAtom Oneway = ErlangAtom.Get("oneway");
    private static readonly ErlangAtom Sent = ErlangAtom.Get("sent");
    private static readonly ErlangAtom SpawnEcho = ErlangAtom.Get("spawn_echo");
    private static readonly ErlangAtom EchoPid = ErlangAtom.Get("echo_pid");
    private static readonly ErlangAtom PingPong = ErlangAtom.Get("pingpong");
    private static readonly ErlangAtom PingPongDone = ErlangAtom.Get("pingpong_done");
    private static readonly ErlangAtom Window = ErlangAtom.Get("window");
    private static readonly ErlangAtom WindowDone = ErlangAtom.Get("window_done");
    private static readonly ErlangAtom Ping = ErlangAtom.Get("ping");
    private static readonly ErlangAtom Pong = ErlangAtom.Get("pong");
    private static readonly ErlangAtom Stop = ErlangAtom.Get("stop");

    private readonly BeamNode _node;
    private readonly Mailbox _sink;
    private readonly Mailbox _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly bool _sync;

    /// <param name="synchronousContinuations">Mailboxes with <see cref="MailboxOptions.AllowSynchronousContinuations"/>.</param>
    public DistServices(BeamNode node, bool synchronousContinuations)
    {
        _node = node;
        _sync = synchronousContinuations;
        _sink = node.CreateMailbox(new MailboxOptions { Name = "sink", AllowSynchronousContinuations = _sync });
        _server = node.CreateMailbox("bw_bench");
        _ = Task.Run(SinkLoopAsync);
        _ = Task.Run(ServerLoopAsync);
    }

    /// <summary>Completes when a <c>stop</c> command arrives.</summary>
    public Task Stopped => _stopped.Task;

    private async Task SinkLoopAsync()
    {
        try
        {
            while (true)
            {
                var expect = (ErlangTuple)await _sink.ReceiveAsync(m => m is ErlangTuple { Count: 3 } t && ReferenceEquals(t[0], Expect), null, _stop.Token);
                var n = ((ErlangInteger)expect[1]).Value;
                var replyTo = (ErlangPid)expect[2];
                _sink.Send(replyTo, SinkReady);
                for (var k = 0L; k < n; k++)
                {
                    var m = await _sink.ReceiveAsync(null, null, _stop.Token);
                    if (m is not ErlangTuple { Count: 2 } t || !ReferenceEquals(t[0], Msg)) k--; // not counted, as the Erlang sink ignores it
                }

                _sink.Send(replyTo, new ErlangTuple(SinkDone, ErlangInteger.Create(n)));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServerLoopAsync()
    {
        try
        {
            while (true)
            {
                var cmd = await _server.ReceiveAsync(null, null, _stop.Token);
                if (ReferenceEquals(cmd, Stop))
                {
                    _stopped.TrySetResult();
                    return;
                }

                if (cmd is not ErlangTuple t || t[0] is not ErlangAtom op) continue;
                if (ReferenceEquals(op, Oneway)) _ = Task.Run(() => OnewayAsync((ErlangPid)t[1], (ErlangTuple)t[2], ((ErlangInteger)t[3]).Value, t[4]));
                else if (ReferenceEquals(op, SpawnEcho)) _server.Send((ErlangPid)t[1], new ErlangTuple(EchoPid, StartEcho()));
                else if (ReferenceEquals(op, PingPong)) _ = Task.Run(() => PingPongAsync((ErlangPid)t[1], (ErlangPid)t[2], (int)((ErlangInteger)t[3]).Value));
                else if (ReferenceEquals(op, Window))
                    _ = Task.Run(() => WindowAsync((ErlangPid)t[1], ((ErlangList)t[2]).Elements.ToArray().Cast<ErlangPid>().ToArray(),
                        (int)((ErlangInteger)t[3]).Value, (int)((ErlangInteger)t[4]).Value));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task OnewayAsync(ErlangPid replyTo, ErlangTuple target, long count, ErlangTerm payload)
    {
        using var sender = _node.CreateMailbox();
        var name = ((ErlangAtom)target[0]).Name;
        var node = ((ErlangAtom)target[1]).Name;
        var message = new ErlangTuple(Msg, payload);
        for (var i = 0L; i < count; i++) await sender.SendAsync(name, node, message);
        sender.Send(replyTo, new ErlangTuple(Sent, ErlangInteger.Create(count)));
    }

    private ErlangPid StartEcho()
    {
        var echo = _node.CreateMailbox(new MailboxOptions { AllowSynchronousContinuations = _sync });
        _ = Task.Run(async () =>
        {
            using (echo)
            {
                try
                {
                    while (true)
                    {
                        var m = await echo.ReceiveAsync(null, null, _stop.Token);
                        if (ReferenceEquals(m, Stop)) return;
                        if (m is ErlangTuple { Count: 3 } t && t[1] is ErlangPid from) await echo.SendAsync(from, new ErlangTuple(Pong, t[2]));
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        return echo.Pid;
    }

    private async Task PingPongAsync(ErlangPid replyTo, ErlangPid echo, int rounds)
    {
        using var me = _node.CreateMailbox(new MailboxOptions { AllowSynchronousContinuations = _sync });
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 1; i <= rounds; i++)
        {
            await me.SendAsync(echo, new ErlangTuple(Ping, me.Pid, ErlangInteger.Create(i)));
            await me.ReceiveAsync(null, null, _stop.Token);
        }

        var micros = (long)System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        me.Send(replyTo, new ErlangTuple(PingPongDone, ErlangInteger.Create(micros)));
    }

    private async Task WindowAsync(ErlangPid replyTo, ErlangPid[] echoes, int inFlight, int perPair)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        await Task.WhenAll(echoes.Select(e => Task.Run(() => PingerAsync(e, inFlight: inFlight, perPair))));
        var micros = (long)System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        _server.Send(replyTo, new ErlangTuple(WindowDone, ErlangInteger.Create(micros)));
    }

    private async Task PingerAsync(ErlangPid echo, int inFlight, int perPair)
    {
        using var me = _node.CreateMailbox(new MailboxOptions { AllowSynchronousContinuations = _sync });
        var first = Math.Min(inFlight, perPair);
        for (var i = 1; i <= first; i++) await me.SendAsync(echo, new ErlangTuple(Ping, me.Pid, ErlangInteger.Create(i)));
        var sent = first;
        for (var left = perPair; left > 0; left--)
        {
            await me.ReceiveAsync(null, null, _stop.Token);
            if (sent < perPair) await me.SendAsync(echo, new ErlangTuple(Ping, me.Pid, ErlangInteger.Create(++sent)));
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _sink.Dispose();
        _server.Dispose();
        _stop.Dispose();
    }
}
