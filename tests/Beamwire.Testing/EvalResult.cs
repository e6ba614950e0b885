namespace Beamwire.Testing;

/// <summary>
/// What a peer returned for one evaluated expression: the value as external term format bytes
/// (<c>term_to_binary(V, [{minor_version, 2}])</c>, written by the real runtime) and as printed text
/// (Erlang <c>~p</c> for erl peers, <c>inspect/2</c> for Elixir peers).
/// </summary>
public sealed record EvalResult(bool Ok, byte[] Etf, string Text)
{
    public override string ToString() => (Ok ? "ok: " : "error: ") + Text;
}
