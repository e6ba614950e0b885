using System.IO.Pipelines;

namespace Beamwire.Node.Tests.Support;

/// <summary>Two in-memory duplex pipes wired back to back, for driving one protocol side against another.</summary>
internal sealed class PipePair
{
    private readonly Pipe _aToB = new();
    private readonly Pipe _bToA = new();

    public PipePair()
    {
        A = new DuplexPipe(_bToA.Reader, _aToB.Writer);
        B = new DuplexPipe(_aToB.Reader, _bToA.Writer);
    }

    public IDuplexPipe A { get; }

    public IDuplexPipe B { get; }
}
