using Beamwire.Terms;

namespace Beamwire.Node;

/// <summary>The <c>From</c> of a gen call: the caller's pid and its tag (a reference or <c>[alias|Ref]</c>).</summary>
public sealed record GenServerFrom(ErlangPid Caller, ErlangTerm Tag)
{
    /// <summary>The <c>{Pid, Tag}</c> tuple as gen_server passes it.</summary>
    public ErlangTuple ToTerm() => new(Caller, Tag);
}
