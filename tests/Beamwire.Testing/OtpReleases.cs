using Xunit;

namespace Beamwire.Testing;

/// <summary>
/// Theory data for interop tests: <c>[Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]</c>.
/// Every release is listed (its number shows in the test name) unless a developer opted out locally;
/// a listed release that is not installed makes the test fail, never skip.
/// </summary>
public static class OtpReleases
{
    public static TheoryData<OtpRelease> All
    {
        get
        {
            var data = new TheoryData<OtpRelease>();
            foreach (var r in Enum.GetValues<OtpRelease>())
                if (!OtpInstall.IsOptedOut(r)) data.Add(r);
            return data;
        }
    }
}
