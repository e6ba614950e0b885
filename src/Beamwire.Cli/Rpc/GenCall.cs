using Beamwire.Terms;

namespace Beamwire.Cli.Rpc;

/// <summary>The <c>gen</c> call and cast message shapes (gen.erl), built and recognised without the Node library's internals.</summary>
internal static class GenCall
{
    private static readonly ErlangAtom Call = ErlangAtom.Get("$gen_call");
    private static readonly ErlangAtom Cast = ErlangAtom.Get("$gen_cast");

    /// <summary><c>{'$gen_call', {From, Tag}, Request}</c>; the reply comes back as <c>{Tag, Reply}</c>.</summary>
    public static ErlangTuple Request(ErlangPid from, ErlangReference tag, ErlangTerm request) =>
        new(Call, new ErlangTuple(from, tag), request);

    /// <summary><c>{'$gen_cast', Request}</c>.</summary>
    public static ErlangTuple CastMessage(ErlangTerm request) => new(Cast, request);

    public static bool IsReply(ErlangTerm message, ErlangReference tag) =>
        message is ErlangTuple { Count: 2 } t && t[0].Equals(tag);

    public static ErlangTerm ReplyValue(ErlangTerm message) => ((ErlangTuple)message)[1];
}
