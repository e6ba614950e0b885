using Beamwire.Terms;

namespace Beamwire.Benchmarks.Terms;

/// <summary>
/// The fixed corpus both sides of scripts/bench-terms.sh encode and decode: Erlang gets exactly these
/// terms, as our bytes, so both run the same work.
/// </summary>
public static class TermsCorpus
{
    private static readonly ErlangAtom Node = ErlangAtom.Get("bench@host");

    /// <summary>REG_SEND control message: <c>{6, From, '', net_kernel}</c>.</summary>
    public static ErlangTerm ControlTuple { get; } =
        new ErlangTuple(6, new ErlangPid(Node, 4711, 0, 1_700_000_001), ErlangAtom.Get(""), ErlangAtom.Get("net_kernel"));

    /// <summary><c>{msg, From, &lt;&lt;1024 bytes&gt;&gt;}</c>.</summary>
    public static ErlangTerm BinaryMessage { get; } =
        new ErlangTuple(ErlangAtom.Get("msg"), new ErlangPid(Node, 4712, 0, 1_700_000_001), new ErlangBinary(Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray()));

    /// <summary>100 maps <c>#{id => I, name => &lt;&lt;"user-I"&gt;&gt;, score => I * 1.5, tags => [a, b]}</c>.</summary>
    public static ErlangTerm ListOfMaps { get; } = new ErlangList(Enumerable.Range(1, 100).Select(i => (ErlangTerm)new ErlangMap(
        new KeyValuePair<ErlangTerm, ErlangTerm>(ErlangAtom.Get("id"), i),
        new(ErlangAtom.Get("name"), ErlangBinary.FromUtf8("user-" + i)),
        new(ErlangAtom.Get("score"), i * 1.5),
        new(ErlangAtom.Get("tags"), new ErlangList(ErlangAtom.Get("a"), ErlangAtom.Get("b"))))).ToArray());

    /// <summary><c>lists:seq(1, 10000)</c>.</summary>
    public static ErlangTerm ListOfIntegers { get; } = new ErlangList(Enumerable.Range(1, 10_000).Select(i => (ErlangTerm)i).ToArray());

    public static IReadOnlyList<(string Name, ErlangTerm Term)> All { get; } =
    [
        ("control_tuple", ControlTuple),
        ("binary_1k_message", BinaryMessage),
        ("list_of_100_maps", ListOfMaps),
        ("list_of_10k_ints", ListOfIntegers),
    ];
}
