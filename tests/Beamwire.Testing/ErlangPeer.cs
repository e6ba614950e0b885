using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace Beamwire.Testing;

/// <summary>
/// A real Erlang or Elixir node in its own OS process, driven through stdin: each
/// <see cref="EvalAsync"/> sends one expression (Erlang syntax to erl peers, Elixir to Elixir peers),
/// the peer evaluates it (bindings persist between calls, and the evaluator is one long-lived
/// process, so <c>receive</c> works) and writes back one result line. Everything else the peer
/// prints is kept in <see cref="Output"/> for assertions and failure messages.
/// </summary>
public sealed class ErlangPeer : IAsyncDisposable
{
    private const string ResultMarker = "BW-RESULT ";

    // The evaluator loop. Input and output lines are base64 so any term and any text survives.
    private const string ErlLoop =
        "BwLoop = fun BwLoop(B) -> " +
        "  case io:get_line('') of " +
        "    eof -> halt(0); {error, _} -> halt(0); " +
        "    L -> " +
        "      {Tag, V, B2} = try " +
        "          Src = unicode:characters_to_list(base64:decode(string:trim(L))), " +
        "          {ok, Toks, _} = erl_scan:string(Src), " +
        "          {ok, Es} = erl_parse:parse_exprs(Toks), " +
        "          {value, V0, NB} = erl_eval:exprs(Es, B), {ok, V0, NB} " +
        "        catch C:E:St -> {error, {C, E, St}, B} end, " +
        "      Txt = try unicode:characters_to_binary(io_lib:format(\"~0tp\", [V])) catch _:_ -> <<\"?\">> end, " +
        "      io:put_chars([<<\"\\nBW-RESULT \">>, atom_to_list(Tag), <<\" \">>, " +
        "        base64:encode(term_to_binary(V, [{minor_version, 2}])), <<\" \">>, base64:encode(Txt), <<\"\\n\">>]), " +
        "      BwLoop(B2) " +
        "  end end, " +
        "io:put_chars(<<\"\\nBW-READY\\n\">>), BwLoop(erl_eval:new_bindings()).";

    private const string ElixirLoop = """
        defmodule BwLoop do
          def loop(b) do
            case IO.binread(:stdio, :line) do
              :eof -> System.halt(0)
              {:error, _} -> System.halt(0)
              line ->
                {tag, v, nb} =
                  try do
                    {v, nb} = Code.eval_string(line |> String.trim() |> Base.decode64!(), b)
                    {:ok, v, nb}
                  rescue
                    e -> {:error, {:error, e}, b}
                  catch
                    k, e -> {:error, {k, e}, b}
                  end
                txt = inspect(v, limit: :infinity, printable_limit: :infinity, pretty: false, width: :infinity)
                IO.binwrite(:stdio, "\nBW-RESULT #{tag} #{Base.encode64(:erlang.term_to_binary(v, minor_version: 2))} #{Base.encode64(txt)}\n")
                loop(nb)
            end
          end
        end
        IO.binwrite(:stdio, "\nBW-READY\n")
        BwLoop.loop([])
        """;

    private readonly Process _process;
    private readonly Channel<EvalResult> _results = Channel.CreateUnbounded<EvalResult>();
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _evalGate = new(1, 1);

    private ErlangPeer(Process process, PeerOptions options, string nodeName)
    {
        _process = process;
        Options = options;
        NodeName = nodeName;
    }

    public PeerOptions Options { get; }

    public OtpRelease Release => Options.Release;

    /// <summary>The full node name, e.g. <c>a_1b2c3d4e@vm</c>.</summary>
    public string NodeName { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Everything the peer printed that was not an eval result (logs, io:format, errors).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static async Task<ErlangPeer> StartAsync(PeerOptions options, CancellationToken cancellationToken = default)
    {
        var install = OtpInstall.Get(options.Release);
        var args = new List<string>();
        string nodeName;
        string host = TestHost.ShortName;
        if (options.LongName is { } ln)
        {
            nodeName = ln.Contains('@', StringComparison.Ordinal) ? ln : ln + "@" + host;
        }
        else
        {
            nodeName = (options.SName ?? TestHost.UniqueName("peer")) + "@" + host;
        }

        string program;
        if (options.Kind == PeerKind.Erl)
        {
            program = "erl";
            args.AddRange([options.LongName is null ? "-sname" : "-name", options.LongName ?? nodeName.Split('@')[0]]);
            args.AddRange(["-setcookie", options.Cookie, "-noshell"]);
            if (options.Hidden) args.Add("-hidden");
            if (!options.StartEpmd) args.AddRange(["-start_epmd", "false"]);
            args.AddRange(options.ExtraArgs);
            args.AddRange(["-eval", ErlLoop]);
        }
        else
        {
            program = "elixir";
            args.AddRange([options.LongName is null ? "--sname" : "--name", options.LongName ?? nodeName.Split('@')[0]]);
            args.AddRange(["--cookie", options.Cookie]);
            if (options.Hidden) args.Add("--hidden");
            var erlArgs = options.StartEpmd ? options.ExtraArgs : ["-start_epmd", "false", .. options.ExtraArgs];
            if (erlArgs.Count > 0) args.AddRange(["--erl", string.Join(' ', erlArgs)]);
            args.AddRange(["-e", ElixirLoop]);
        }

        var env = new Dictionary<string, string>();
        if (options.EpmdPort is { } port) env["ERL_EPMD_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var process = new Process { StartInfo = install.StartInfo(program, args, env), EnableRaisingEvents = true };
        process.Start();
        var peer = new ErlangPeer(process, options, nodeName);
        peer.StartPumps();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(options.StartTimeout);
        try
        {
            await Task.WhenAny(peer._ready.Task, peer._exited.Task).WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await peer.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"{install} peer {nodeName} did not start within {options.StartTimeout}. Output:\n{peer.Output}");
        }

        if (!peer._ready.Task.IsCompleted)
        {
            await peer.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"{install} peer {nodeName} exited during start-up. Output:\n{peer.Output}");
        }

        return peer;
    }

    private void StartPumps()
    {
        _ = Task.Run(() => PumpAsync(_process.StandardOutput, parseResults: true));
        _ = Task.Run(() => PumpAsync(_process.StandardError, parseResults: false));
        _ = _process.WaitForExitAsync().ContinueWith(_ => _exited.TrySetResult(), TaskScheduler.Default);
    }

    private async Task PumpAsync(StreamReader reader, bool parseResults)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (parseResults && line == "BW-READY")
            {
                _ready.TrySetResult();
                continue;
            }

            if (parseResults && line.StartsWith(ResultMarker, StringComparison.Ordinal))
            {
                var parts = line[ResultMarker.Length..].Split(' ');
                if (parts.Length == 3)
                {
                    _results.Writer.TryWrite(new EvalResult(
                        parts[0] == "ok",
                        Convert.FromBase64String(parts[1]),
                        Encoding.UTF8.GetString(Convert.FromBase64String(parts[2]))));
                    continue;
                }
            }

            lock (_output) _output.AppendLine(line);
        }
    }

    /// <summary>Evaluates one expression (Erlang: with the final dot; Elixir: any code) on the peer.</summary>
    public async Task<EvalResult> EvalAsync(string expression, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        await _evalGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var line = Convert.ToBase64String(Encoding.UTF8.GetBytes(expression));
            await _process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(limit);
            try
            {
                var read = _results.Reader.ReadAsync(cts.Token).AsTask();
                var done = await Task.WhenAny(read, _exited.Task).ConfigureAwait(false);
                if (done != read)
                    throw new InvalidOperationException($"Peer {NodeName} exited while evaluating `{expression}`. Output:\n{Output}");
                return await read.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Peer {NodeName} gave no result for `{expression}` within {limit}. Output:\n{Output}");
            }
        }
        finally
        {
            _evalGate.Release();
        }
    }

    /// <summary>Evaluates and returns the printed value; throws when the expression raised.</summary>
    public async Task<string> EvalTextAsync(string expression, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var r = await EvalAsync(expression, timeout, cancellationToken).ConfigureAwait(false);
        if (!r.Ok) throw new InvalidOperationException($"Peer {NodeName} raised on `{expression}`: {r.Text}\nOutput:\n{Output}");
        return r.Text;
    }

    /// <summary>Waits until the peer has printed a line containing <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Peer {NodeName} did not print `{text}` within {timeout}. Output:\n{Output}");
            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a POSIX signal to the peer's OS process (STOP, CONT, KILL, TERM).</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _exited.Task.WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        // Port programs (open_port, os:cmd) are children of erl_child_setup and do not all end
        // with the node: remember the whole tree now, end what survives afterwards.
        var tree = _exited.Task.IsCompleted ? [] : ProcessTree.Of(_process.Id);
        if (!_exited.Task.IsCompleted)
        {
            try
            {
                Signal("CONT");
                _process.StandardInput.Close();
                await _exited.Task.WaitAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or IOException or InvalidOperationException)
            {
                // The peer did not stop on end of input: kill it.
            }

            if (!_exited.Task.IsCompleted)
            {
                try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await _exited.Task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
        }

        await ProcessTree.KillAsync(tree, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _process.Dispose();
        _evalGate.Dispose();
    }

    public override string ToString() => $"{NodeName} (OTP {(int)Release}, {Options.Kind})";
}
