using System.IO.Pipelines;

namespace Beamwire.Node.Tests.Support;

/// <summary>A reader and a writer as one <see cref="IDuplexPipe"/>, for driving a handshake side by hand.</summary>
internal sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;

    /// <summary>Both directions of a stream (a socket's).</summary>
    public static DuplexPipe Over(Stream stream) => new(PipeReader.Create(stream), PipeWriter.Create(stream));
}
