using Beamwire.Terms;

namespace Beamwire.Node.Services;

/// <summary>The gen_server wire shapes: <c>{'$gen_call', {Pid, Tag}, Request}</c> and <c>{'$gen_cast', Request}</c>.</summary>
internal static class GenMessages
{
    public static readonly ErlangAtom GenCall = ErlangAtom.Get("$gen_call");
    public static readonly ErlangAtom GenCast = ErlangAtom.Get("$gen_cast");

    /// <summary>
    /// A call; <paramref name="tag"/> is a reference or, since OTP 24, <c>[alias|Ref]</c>. Replies go
    /// to the caller's pid as <c>{Tag, Reply}</c>: the caller's receive matches the tag, so this works for
    /// both tag forms (it is what OTP's net_kernel does).
    /// </summary>
    public static bool TryParseCall(ErlangTerm message, out ErlangPid from, out ErlangTerm tag, out ErlangTerm request)
    {
        if (message is ErlangTuple { Count: 3 } t && ReferenceEquals(t[0], GenCall) &&
            t[1] is ErlangTuple { Count: 2 } f && f[0] is ErlangPid pid)
        {
            from = pid;
            tag = f[1];
            request = t[2];
            return true;
        }

        from = null!;
        tag = null!;
        request = null!;
        return false;
    }

    public static bool TryParseCast(ErlangTerm message, out ErlangTerm request)
    {
        if (message is ErlangTuple { Count: 2 } t && ReferenceEquals(t[0], GenCast))
        {
            request = t[1];
            return true;
        }

        request = null!;
        return false;
    }

    public static ErlangTuple Cast(ErlangTerm request) => new(GenCast, request);

    public static ErlangTuple Call(ErlangPid from, ErlangTerm tag, ErlangTerm request) => new(GenCall, new ErlangTuple(from, tag), request);

    public static ErlangTuple Reply(ErlangTerm tag, ErlangTerm reply) => new(tag, reply);

    /// <summary>True for a tuple whose first element is the atom <paramref name="name"/>.</summary>
    public static bool IsTagged(ErlangTerm term, ErlangAtom name, int arity, out ErlangTuple tuple)
    {
        if (term is ErlangTuple t && t.Count == arity && ReferenceEquals(t[0], name))
        {
            tuple = t;
            return true;
        }

        tuple = null!;
        return false;
    }
}
