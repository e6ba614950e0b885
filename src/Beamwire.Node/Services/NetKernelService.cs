using Beamwire.Terms;

namespace Beamwire.Node.Services;

/// <summary>
/// <c>net_kernel</c>: answers <c>{is_auth, Node}</c>, the gen call behind <c>net_adm:ping/1</c>, with
/// <c>yes</c>. A connection only exists after the cookie check, so every caller that reaches us is
/// authenticated (OTP answers the same way).
/// </summary>
internal sealed class NetKernelService : ServiceProcess
{
    private static readonly ErlangAtom IsAuth = ErlangAtom.Get("is_auth");

    public NetKernelService(BeamNode node) : base(node, "net_kernel") { }

    protected override void Handle(ErlangTerm message)
    {
        if (GenMessages.TryParseCall(message, out var from, out var tag, out var request) &&
            GenMessages.IsTagged(request, IsAuth, 2, out _))
        {
            Reply(from, tag, ErlangAtom.Yes);
            return;
        }

        ServiceLog.Ignored(Logger, Name.Name, message);
    }
}
