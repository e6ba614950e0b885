using Xunit;

namespace Beamwire.Node.Tests.Identity;

public class NodeNameTests
{
    [Theory]
    [InlineData("node1@vm", "node1", "vm")]
    [InlineData("a_b-C9@host.example.com", "a_b-C9", "host.example.com")]
    [InlineData("x@10.0.0.5", "x", "10.0.0.5")]
    public void Parses_valid_names(string full, string alive, string host)
    {
        var n = NodeName.Parse(full);
        Assert.Equal(alive, n.Alive);
        Assert.Equal(host, n.Host);
        Assert.Equal(full, n.Full);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nohost")]
    [InlineData("@host")]
    [InlineData("name@")]
    [InlineData("a@b@c")]
    [InlineData("bad name@host")]
    [InlineData("bad.name@host")]
    [InlineData("name@ho st")]
    public void Refuses_invalid_names(string full)
    {
        Assert.Throws<NodeNameException>(() => NodeName.Parse(full));
        Assert.False(NodeName.TryParse(full, out _));
    }

    [Fact]
    public void Refuses_names_longer_than_an_atom()
    {
        var ex = Assert.Throws<NodeNameException>(() => NodeName.Parse(new string('a', 250) + "@host1"));
        Assert.Contains("255", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_name_mode_refuses_dotted_hosts_as_erl_does()
    {
        var ex = Assert.Throws<NodeNameException>(() => NodeName.Parse("a@host.example.com").EnsureMode(NodeNameMode.ShortNames));
        Assert.Contains("System NOT running to use fully qualified hostnames", ex.Message, StringComparison.Ordinal);
        Assert.Throws<NodeNameException>(() => NodeName.Parse("a@127.0.0.1").EnsureMode(NodeNameMode.ShortNames));
        NodeName.Parse("a@vm").EnsureMode(NodeNameMode.ShortNames);
    }

    [Fact]
    public void Long_name_mode_refuses_plain_hosts_but_accepts_ip_addresses()
    {
        var ex = Assert.Throws<NodeNameException>(() => NodeName.Parse("a@vm").EnsureMode(NodeNameMode.LongNames));
        Assert.Contains("System running to use fully qualified hostnames", ex.Message, StringComparison.Ordinal);
        NodeName.Parse("a@127.0.0.1").EnsureMode(NodeNameMode.LongNames);
        NodeName.Parse("a@::1").EnsureMode(NodeNameMode.LongNames);
        NodeName.Parse("a@h.example.com").EnsureMode(NodeNameMode.LongNames);
    }

    [Fact]
    public void Bare_name_takes_the_short_host_name()
    {
        var n = NodeName.ForLocalNode("node1", NodeNameMode.ShortNames);
        Assert.Equal(Beamwire.Testing.TestHost.ShortName, n.Host);
        Assert.Equal("node1", n.Alive);
    }

    [Fact]
    public void Full_name_must_match_the_mode()
    {
        Assert.Throws<NodeNameException>(() => NodeName.ForLocalNode("node1@a.b", NodeNameMode.ShortNames));
        Assert.Equal("node1@127.0.0.1", NodeName.ForLocalNode("node1@127.0.0.1", NodeNameMode.LongNames).Full);
    }

    [Fact]
    public void Equality_and_order_are_ordinal_on_the_full_name()
    {
        Assert.Equal(NodeName.Parse("a@h"), NodeName.Parse("a@h"));
        Assert.NotEqual(NodeName.Parse("a@h"), NodeName.Parse("A@h"));
        Assert.True(NodeName.Parse("b@h") > NodeName.Parse("a@h"));
        Assert.True(NodeName.Parse("B@h") < NodeName.Parse("a@h"));
    }
}
