using Beamwire.Cli.Shell.Eval;
using Beamwire.Node;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Backends;

/// <summary><c>erlang:nodes/1</c>'s argument (visible, hidden, connected, this, known, or a list of them) on a Beamwire node.</summary>
internal static class NodeLists
{
    public static IEnumerable<NodeName> Select(BeamNode node, ErlangTerm arg)
    {
        var kinds = arg switch
        {
            ErlangAtom a => [a],
            ErlangList l when l.Elements.ToArray().All(e => e is ErlangAtom) => l.Elements.ToArray().Cast<ErlangAtom>().ToList(),
            _ => throw ShellError.Argument("nodes/1 takes :visible, :hidden, :connected, :this, :known or a list of them"),
        };
        var result = new List<NodeName>();
        foreach (var k in kinds)
        {
            IEnumerable<NodeName> part = k.Name switch
            {
                "visible" => node.Nodes(NodeListKind.Visible),
                "hidden" => node.Nodes(NodeListKind.Hidden),
                "connected" => node.Nodes(NodeListKind.Connected),
                "known" => node.Nodes(NodeListKind.Known),
                "this" => [node.Self],
                _ => throw ShellError.Argument($"nodes/1: unknown node type {TermDisplay.Elixir(k)}"),
            };
            foreach (var n in part)
                if (!result.Contains(n)) result.Add(n);
        }

        return result;
    }
}
