using Beamwire.Node;
using Beamwire.Terms;

namespace Beamwire.Soak.Agent;

/// <summary><c>soak_srv</c>: <c>pids</c> → <c>{RxPid, SrvPid}</c>; <c>{echo, X}</c> → <c>{echo, X}</c>.</summary>
internal sealed class SoakServer(ErlangPid rx) : GenServer
{
    protected override ValueTask<CallResult> HandleCallAsync(ErlangTerm request, GenServerFrom from) =>
        ValueTask.FromResult<CallResult>(request switch
        {
            ErlangAtom a when ReferenceEquals(a, SoakAtoms.Pids) => new ErlangTuple(rx, Pid),
            ErlangTuple { Count: 2 } t when ReferenceEquals(t[0], SoakAtoms.Echo) => t,
            _ => ErlangAtom.Get("badarg"),
        });
}
