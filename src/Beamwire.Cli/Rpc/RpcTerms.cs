using Beamwire.Terms;

namespace Beamwire.Cli.Rpc;

/// <summary>Atoms and shapes of rpc results, in one place.</summary>
internal static class RpcTerms
{
    public static readonly ErlangAtom Badrpc = ErlangAtom.Get("badrpc");
    public static readonly ErlangAtom Nodedown = ErlangAtom.Get("nodedown");
    public static readonly ErlangAtom Exit = ErlangAtom.Get("EXIT");

    public static ErlangTuple BadRpc(ErlangTerm reason) => new(Badrpc, reason);

    /// <summary>True for <c>{badrpc, Reason}</c>.</summary>
    public static bool IsBadRpc(ErlangTerm result, out ErlangTerm reason)
    {
        if (result is ErlangTuple { Count: 2 } t && ReferenceEquals(t[0], Badrpc))
        {
            reason = t[1];
            return true;
        }

        reason = ErlangAtom.Undefined;
        return false;
    }
}
