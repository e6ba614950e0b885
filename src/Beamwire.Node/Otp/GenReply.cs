using Beamwire.Terms;

namespace Beamwire.Node.Otp;

/// <summary>
/// gen:reply/2: a reply <c>{Tag, Reply}</c> goes to the alias when the tag is <c>[alias|Ref]</c> (OTP 24+
/// callers; a late reply to a caller that gave up is then dropped, as with OTP), else to the caller's pid.
/// </summary>
internal static class GenReply
{
    public static readonly ErlangAtom Alias = ErlangAtom.Get("alias");

    public static bool TryGetAlias(ErlangTerm tag, out ErlangReference alias)
    {
        if (tag is ErlangList { Count: 1 } l && ReferenceEquals(l[0], Alias) && l.Tail is ErlangReference r)
        {
            alias = r;
            return true;
        }

        alias = null!;
        return false;
    }

    /// <summary><c>[alias|Ref]</c> (an improper list).</summary>
    public static ErlangList AliasTag(ErlangReference mref) => new([Alias], mref);

    /// <summary>Sends the reply without waiting for connection capacity (replies never block a server).</summary>
    public static void Send(BeamNode node, ErlangPid sender, ErlangPid caller, ErlangTerm tag, ErlangTerm reply)
    {
        var message = new ErlangTuple(tag, reply);
        if (TryGetAlias(tag, out var alias)) node.Router.SendToAlias(sender, alias, message);
        else node.Router.SendNow(sender, caller, message);
    }
}
