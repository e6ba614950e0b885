using Beamwire.Terms;

namespace Beamwire.Node;

/// <summary>An rpc call returned <c>{badrpc, Reason}</c>; <see cref="Reason"/> is that reason (<c>nodedown</c>, <c>timeout</c>, <c>{'EXIT', ...}</c>).</summary>
public sealed class RpcException : BeamNodeException
{
    public RpcException(ErlangTerm reason) : base($"rpc failed: {{badrpc, {reason}}}") => Reason = reason;

    public RpcException(string message) : base(message) => Reason = ErlangAtom.Undefined;

    public RpcException(string message, Exception innerException) : base(message, innerException) => Reason = ErlangAtom.Undefined;

    public RpcException() : this(ErlangAtom.Undefined) { }

    public ErlangTerm Reason { get; }
}
