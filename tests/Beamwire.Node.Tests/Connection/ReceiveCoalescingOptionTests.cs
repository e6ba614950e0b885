using Xunit;

namespace Beamwire.Node.Tests.Connection;

/// <summary>BeamNodeOptions.ReceiveCoalescing: its default and the values it refuses.</summary>
public class ReceiveCoalescingOptionTests
{
    [Fact]
    public void Defaults_to_100_microseconds()
    {
        Assert.Equal(TimeSpan.FromMicroseconds(100), new BeamNodeOptions().ReceiveCoalescing);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    [InlineData(1000)]
    public void Accepts_zero_to_one_millisecond(int micros)
    {
        var options = new BeamNodeOptions { Name = "n1", ReceiveCoalescing = TimeSpan.FromMicroseconds(micros) };
        Assert.Null(Record.Exception(options.Validate));
        Assert.Equal(TimeSpan.FromMicroseconds(micros), options.ReceiveCoalescing);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    [InlineData(60_000_000)]
    public void Refuses_negative_values_and_more_than_a_millisecond(int micros)
    {
        var options = new BeamNodeOptions { Name = "n1", ReceiveCoalescing = TimeSpan.FromMicroseconds(micros) };
        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(nameof(BeamNodeOptions.ReceiveCoalescing), ex.ParamName);
    }
}
