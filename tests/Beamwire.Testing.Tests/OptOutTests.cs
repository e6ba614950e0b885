using Xunit;

namespace Beamwire.Testing.Tests;

/// <summary>BEAMWIRE_OTP_SKIP is a local convenience; in CI a missing release fails, never skips.</summary>
public sealed class OptOutTests
{
    [Theory]
    [InlineData("27,29", false, OtpRelease.Otp27, true)]
    [InlineData("27,29", false, OtpRelease.Otp29, true)]
    [InlineData("27,29", false, OtpRelease.Otp25, false)]
    [InlineData(" 29 ", false, OtpRelease.Otp29, true)]
    [InlineData("all", false, OtpRelease.Otp25, true)]
    [InlineData("", false, OtpRelease.Otp27, false)]
    [InlineData(null, false, OtpRelease.Otp27, false)]
    [InlineData("27,29", true, OtpRelease.Otp27, false)]
    [InlineData("all", true, OtpRelease.Otp29, false)]
    public void Opt_out_applies_only_outside_ci(string? skip, bool ci, OtpRelease release, bool optedOut) =>
        Assert.Equal(optedOut, OtpInstall.IsOptedOut(release, skip, ci));

    [Theory]
    [InlineData(OtpRelease.Otp27)]
    [InlineData(OtpRelease.Otp29)]
    public void A_release_missing_from_the_cache_fails_with_what_to_run(OtpRelease release)
    {
        using var cache = new TempDir();
        var error = Assert.Throws<InvalidOperationException>(() => OtpInstall.Find(release, cache.Path));
        Assert.Contains("scripts/otp-peers.sh", error.Message, StringComparison.Ordinal);
        Assert.Contains($"BEAMWIRE_OTP_SKIP={(int)release}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chroot_without_the_provisioning_stamp_counts_as_missing()
    {
        // What an interrupted provisioning could leave: erl is there, the verification stamp is not.
        using var cache = new TempDir();
        var bin = Directory.CreateDirectory(Path.Combine(cache.Path, "otp27", "usr", "bin"));
        File.WriteAllText(Path.Combine(bin.FullName, "erl"), "#!/bin/sh\n");
        Assert.Throws<InvalidOperationException>(() => OtpInstall.Find(OtpRelease.Otp27, cache.Path));

        File.WriteAllText(Path.Combine(cache.Path, "otp27", OtpInstall.StampFile), "stamp\n");
        Assert.Equal(Path.Combine(cache.Path, "otp27"), OtpInstall.Find(OtpRelease.Otp27, cache.Path).ChrootDir);
    }
}
