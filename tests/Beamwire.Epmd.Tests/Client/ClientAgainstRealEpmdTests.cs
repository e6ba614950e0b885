using System.Text;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Epmd.Tests.Client;

/// <summary>Our client against the real epmd of each OTP release.</summary>
public sealed class ClientAgainstRealEpmdTests
{
    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Register_shows_in_real_names_and_port_please_until_disposed(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var client = new EpmdClient("localhost", epmd.Port);
        var name = TestHost.UniqueName("bw");

        var reg = await client.RegisterAsync(name, 45015, extra: new byte[] { 1, 2, 3 });
        Assert.True(reg.Creation >= 4, $"creation {reg.Creation} should be a 32-bit epmd counter (>= 4)");

        var real = await OtpCommand.RunAsync(release, "epmd", ["-names"], epmd.Env);
        Assert.Equal(0, real.ExitCode);
        Assert.Contains($"name {name} at port 45015\n", real.StdOut, StringComparison.Ordinal);

        var info = await client.PortPleaseAsync(name);
        Assert.NotNull(info);
        Assert.Equal(name, info.Name);
        Assert.Equal(45015, info.Port);
        Assert.Equal(EpmdNodeType.Normal, info.Type);
        Assert.Equal((ushort)6, info.HighestVersion);
        Assert.Equal((ushort)5, info.LowestVersion);
        Assert.Equal(new byte[] { 1, 2, 3 }, info.Extra.ToArray());

        await reg.DisposeAsync();
        Assert.Null(await WaitUntilGone(client, name));
        var after = await OtpCommand.RunAsync(release, "epmd", ["-names"], epmd.Env);
        Assert.DoesNotContain(name, after.StdOut, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Names_listing_is_byte_identical_to_the_real_client_output(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var client = new EpmdClient("127.0.0.1", epmd.Port);
        await using var a = await client.RegisterAsync(TestHost.UniqueName("a"), 40001);
        await using var b = await client.RegisterAsync(TestHost.UniqueName("b"), 40002, EpmdNodeType.Hidden);

        var listing = await client.GetNamesListingAsync();
        var real = await OtpCommand.RunAsync(release, "epmd", ["-names"], epmd.Env);

        var ours = $"epmd: up and running on port {listing.EpmdPort} with data:\n" + Encoding.UTF8.GetString(listing.Text.Span);
        Assert.Equal(real.StdOut, ours);
        var names = await client.NamesAsync();
        Assert.Equal([new EpmdName(b.Name, 40002), new EpmdName(a.Name, 40001)], names);
    }

    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Duplicate_name_is_NameTaken_and_creation_changes_per_registration(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var client = new EpmdClient("localhost", epmd.Port);
        var name = TestHost.UniqueName("dup");
        uint first;
        await using (var reg = await client.RegisterAsync(name, 40010))
        {
            first = reg.Creation;
            var ex = await Assert.ThrowsAsync<EpmdException>(() => client.RegisterAsync(name, 40011));
            Assert.Equal(EpmdErrorReason.NameTaken, ex.Reason);
        }

        await WaitUntilGone(client, name);
        await using var again = await client.RegisterAsync(name, 40012);
        Assert.NotEqual(first, again.Creation);
    }

    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Old_version_registration_gets_the_16_bit_ALIVE2_RESP_creation(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var client = new EpmdClient("localhost", epmd.Port);
        await using var reg = await client.RegisterAsync(TestHost.UniqueName("old"), 40020, highestVersion: 5, lowestVersion: 5);
        Assert.InRange(reg.Creation, 1u, 3u);
    }

    [Fact]
    public async Task Unknown_names_return_null_and_no_epmd_is_NotRunning()
    {
        await using var epmd = await RealEpmd.StartAsync();
        var client = new EpmdClient("::1", epmd.Port);
        Assert.Null(await client.PortPleaseAsync(TestHost.UniqueName("nobody")));

        var nowhere = new EpmdClient("localhost", FreePort.Next());
        var ex = await Assert.ThrowsAsync<EpmdException>(() => nowhere.NamesAsync());
        Assert.Equal(EpmdErrorReason.NotRunning, ex.Reason);
    }

    [Fact]
    public async Task Registration_Lost_fires_when_epmd_dies()
    {
        var epmd = await RealEpmd.StartAsync();
        var client = new EpmdClient("localhost", epmd.Port);
        await using var reg = await client.RegisterAsync(TestHost.UniqueName("lost"), 40030);
        Assert.True(reg.IsActive);
        await epmd.DisposeAsync();
        await Task.Delay(Timeout.Infinite, reg.Lost).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(reg.IsActive);
    }

    private static async Task<EpmdNodeInfo?> WaitUntilGone(EpmdClient client, string name)
    {
        // epmd notices the closed socket on its next select(): poll briefly.
        for (var i = 0; i < 100; i++)
        {
            var info = await client.PortPleaseAsync(name);
            if (info is null) return null;
            await Task.Delay(20);
        }

        return await client.PortPleaseAsync(name);
    }
}
