using Beamwire.Terms;

namespace Beamwire.Node.Services;

/// <summary>
/// <c>rex</c>: answers the <c>{Pid, features_request}</c> every OTP node sends on nodeup with
/// <c>{features_reply, Node, Features}</c>. The list is empty: this node does not run erpc (no
/// DFLAG_SPAWN), so peers must not route rpc through it.
/// </summary>
internal sealed class RexService : ServiceProcess
{
    private static readonly ErlangAtom FeaturesRequest = ErlangAtom.Get("features_request");
    private static readonly ErlangAtom FeaturesReply = ErlangAtom.Get("features_reply");

    public RexService(BeamNode node) : base(node, "rex") { }

    protected override void Handle(ErlangTerm message)
    {
        if (message is ErlangTuple { Count: 2 } t && t[0] is ErlangPid from && ReferenceEquals(t[1], FeaturesRequest))
        {
            Node.Router.SendNow(Pid, from, new ErlangTuple(FeaturesReply, Node.SelfAtom, ErlangList.Nil));
            return;
        }

        ServiceLog.Ignored(Logger, Name.Name, message);
    }
}
