using System.Globalization;
using Beamwire.Cli.Shell.Eval;
using Beamwire.Cli.Shell.Printing;
using Beamwire.Cli.Shell.Syntax;
using Beamwire.Cli.Shell.Terminal;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell;

/// <summary>
/// The read-eval-print loop with iex's prompt, <c>iex(node1@host)1&gt;</c> (the counter counts
/// evaluated inputs; <c>...(node1@host)1&gt;</c> continues an incomplete one). Each input is Elixir,
/// or Erlang when it ends with '.', and its value prints in that language's syntax. Errors print as
/// one line; Ctrl-C cancels a running evaluation (a <c>receive</c> without <c>after</c>, a slow rpc).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The interrupt source is never disposed: a signal may cancel it after the session ended, and it holds no timer.")]
internal sealed class Repl(ILineReader reader, Evaluator evaluator, string nodeName)
{
    // Ctrl-C outside the line editor cancels this; one handler for the whole session, so a Ctrl-C that
    // comes between the editor handing over a line and its evaluation starting cancels that evaluation
    // (without a handler then, SIGINT would end the shell). Never disposed: a signal may cancel it late.
    private CancellationTokenSource _interrupt = new();

    public async Task RunAsync(CancellationToken stopping)
    {
        Console.CancelKeyPress += OnCancel;
        try
        {
            await LoopAsync(stopping).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        Volatile.Read(ref _interrupt).Cancel();
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        var counter = 1;
        var pending = "";
        while (!stopping.IsCancellationRequested)
        {
            var prompt = pending.Length == 0
                ? string.Create(CultureInfo.InvariantCulture, $"iex({nodeName}){counter}> ")
                : string.Create(CultureInfo.InvariantCulture, $"...({nodeName}){counter}> ");
            // A Ctrl-C after the last evaluation ended interrupted nothing: the next input starts afresh.
            if (_interrupt.IsCancellationRequested) Volatile.Write(ref _interrupt, new CancellationTokenSource());
            var line = reader.ReadLine(prompt);
            if (line is null) return;
            pending = pending.Length == 0 ? line : pending + "\n" + line;
            if (string.IsNullOrWhiteSpace(pending))
            {
                pending = "";
                continue;
            }

            Expr expr;
            Dialect dialect;
            try
            {
                (expr, dialect) = Parse(pending);
            }
            catch (SyntaxException ex) when (ex.Incomplete)
            {
                continue;
            }
            catch (SyntaxException ex)
            {
                reader.WriteLine(SyntaxErrorLine(pending, ex.Column, ex.Message, counter));
                pending = "";
                counter++;
                continue;
            }
#pragma warning disable CA1031 // No input may end the shell: a fault in reading one is reported in one line like any syntax error.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                reader.WriteLine(SyntaxErrorLine(pending, 1, $"cannot read this input ({ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")})", counter));
                pending = "";
                counter++;
                continue;
            }

            pending = "";
            await EvalAndPrintAsync(expr, dialect).ConfigureAwait(false);
            counter++;
        }
    }

    /// <summary>
    /// A syntax error as iex prints it (<c>** (SyntaxError) iex:LINE:COLUMN: message</c>, the line
    /// counting from the prompt's number) or erl does (<c>* LINE:COLUMN: message</c>).
    /// <paramref name="position"/> is 1-based in the whole (possibly multi-line) input.
    /// </summary>
    public static string SyntaxErrorLine(string input, int position, string message, int counter)
    {
        var offset = Math.Clamp(position - 1, 0, input.Length);
        var lineStart = offset == 0 ? 0 : input.LastIndexOf('\n', offset - 1) + 1;
        var line = input.AsSpan(0, lineStart).Count('\n');
        var column = offset - lineStart + 1;
        return ShellParser.DialectOf(input) == Dialect.Elixir
            ? string.Create(CultureInfo.InvariantCulture, $"** (SyntaxError) iex:{counter + line}:{column}: {message}")
            : string.Create(CultureInfo.InvariantCulture, $"* {line + 1}:{column}: {message}");
    }

    /// <summary>
    /// Parses one input. A line that is not valid Elixir but is the start of an Erlang expression
    /// waits for more lines, as erl waits for the final '.'.
    /// </summary>
    public static (Expr, Dialect) Parse(string input)
    {
        var dialect = ShellParser.DialectOf(input);
        try
        {
            return (ShellParser.Parse(input, dialect), dialect);
        }
        catch (SyntaxException ex) when (dialect == Dialect.Elixir && !ex.Incomplete && !ex.InLiteral)
        {
            SyntaxException? erlang = null;
            try
            {
                ErlangParser.Parse(input);
            }
            catch (SyntaxException e)
            {
                erlang = e;
            }

            if (erlang is { Incomplete: true }) throw new SyntaxException(erlang.Message, erlang.Column, incomplete: true);
            throw; // neither language: report the Elixir error
        }
    }

    private async Task EvalAndPrintAsync(Expr expr, Dialect dialect)
    {
        try
        {
            var value = await evaluator.EvalAsync(expr, dialect, Volatile.Read(ref _interrupt).Token).ConfigureAwait(false);
            if (!ReferenceEquals(value, Evaluator.NoValue)) reader.WriteLine(TermText.Format(value, dialect));
        }
        catch (ShellError ex)
        {
            reader.WriteLine(ex.Format(dialect));
        }
        catch (OperationCanceledException)
        {
            reader.WriteLine(dialect == Dialect.Elixir ? "** (interrupted) evaluation cancelled with Ctrl-C" : "** exception exit: interrupted");
        }
#pragma warning disable CA1031 // The shell must survive anything one input does; the message is enough.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var message = ex.Message.ReplaceLineEndings(" ");
            reader.WriteLine(dialect == Dialect.Elixir ? $"** (RuntimeError) {message}" : $"** exception error: {message}");
        }
    }
}
