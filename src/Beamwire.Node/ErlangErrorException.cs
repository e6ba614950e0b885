using Beamwire.Terms;

namespace Beamwire.Node;

/// <summary>
/// Raised by .NET code that Erlang calls (rpc, erpc, remote spawn) to fail the way <c>erlang:error(Reason)</c>
/// does: callers see class <c>error</c> with <see cref="Reason"/> (e.g. <c>badarg</c>, <c>{badmatch, X}</c>).
/// Any other .NET exception reaches them as <c>error</c> with <c>{dotnet_exception, 'Type', &lt;&lt;"message"&gt;&gt;}</c>.
/// </summary>
public sealed class ErlangErrorException : BeamNodeException
{
    public ErlangErrorException(ErlangTerm reason) : base($"erlang:error({reason})") => Reason = reason;

    public ErlangErrorException(string message) : base(message) => Reason = ErlangBinary.FromUtf8(message);

    public ErlangErrorException(string message, Exception innerException) : base(message, innerException) => Reason = ErlangBinary.FromUtf8(message);

    public ErlangErrorException() : this(ErlangAtom.Badarg) { }

    public ErlangTerm Reason { get; }
}

/// <summary>Raised by .NET code that Erlang calls to <c>throw(Value)</c>: rpc returns the value, erpc re-throws it.</summary>
public sealed class ErlangThrowException : BeamNodeException
{
    public ErlangThrowException(ErlangTerm value) : base($"throw({value})") => Value = value;

    public ErlangThrowException(string message) : base(message) => Value = ErlangBinary.FromUtf8(message);

    public ErlangThrowException(string message, Exception innerException) : base(message, innerException) => Value = ErlangBinary.FromUtf8(message);

    public ErlangThrowException() : this(ErlangAtom.Undefined) { }

    public ErlangTerm Value { get; }
}
