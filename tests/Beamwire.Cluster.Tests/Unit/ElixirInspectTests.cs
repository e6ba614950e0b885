using Beamwire.Cluster.Diagnostics;
using Xunit;

namespace Beamwire.Cluster.Tests.Unit;

/// <summary>Expected texts are what Elixir 1.14's <c>inspect/1</c> printed for these atoms.</summary>
public sealed class ElixirInspectTests
{
    [Theory]
    [InlineData("a@127.0.0.1", ":\"a@127.0.0.1\"")]
    [InlineData("node1@node1", ":node1@node1")]
    [InlineData("node1@my-host", ":\"node1@my-host\"")]
    [InlineData("Node@x", ":Node@x")]
    [InlineData("_a@b", ":_a@b")]
    [InlineData("a?@b", ":\"a?@b\"")]
    [InlineData("a@b?", ":a@b?")]
    [InlineData("été@b", ":été@b")]
    [InlineData("1a@b", ":\"1a@b\"")]
    [InlineData("a\"b", ":\"a\\\"b\"")]
    public void Atoms_print_as_elixir_inspect(string atom, string expected) => Assert.Equal(expected, ElixirInspect.Atom(atom));
}
