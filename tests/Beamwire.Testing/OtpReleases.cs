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
            foreach (var r in Listed) data.Add(r);
            return data;
        }
    }

    /// <summary>The releases of <see cref="All"/> as a list, for a test that uses several at once.</summary>
    public static IReadOnlyList<OtpRelease> Listed =>
        Enum.GetValues<OtpRelease>().Where(r => !OtpInstall.IsOptedOut(r)).ToList();

    /// <summary>
    /// Theory data of every listed release with both front ends (<c>erl</c> and <c>elixir</c>):
    /// <c>[Theory, MemberData(nameof(OtpReleases.AllWithKinds), MemberType = typeof(OtpReleases))]</c>
    /// with parameters <c>(OtpRelease release, PeerKind kind)</c>.
    /// </summary>
    public static TheoryData<OtpRelease, PeerKind> AllWithKinds
    {
        get
        {
            var data = new TheoryData<OtpRelease, PeerKind>();
            foreach (var r in Listed)
                foreach (var k in Enum.GetValues<PeerKind>())
                    data.Add(r, k);
            return data;
        }
    }
}
