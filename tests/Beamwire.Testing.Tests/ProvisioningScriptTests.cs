using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace Beamwire.Testing.Tests;

/// <summary>scripts/otp-peers.sh, run as the test command runs it.</summary>
public sealed class ProvisioningScriptTests
{
    [Fact]
    public async Task In_ci_a_release_that_cannot_be_provisioned_fails_the_run_despite_the_opt_out()
    {
        using var cache = new TempDir();
        var run = await RunScriptAsync(cache.Path, ci: true, skip: "27,29", mirror: UnreachableMirror());

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("ERROR", run.StdErr, StringComparison.Ordinal);
        // Nothing that could pass for a provisioned release, and no half-built leftovers.
        Assert.Empty(Directory.EnumerateDirectories(cache.Path));
    }

    [Fact]
    public async Task Outside_ci_the_opt_out_skips_provisioning()
    {
        using var cache = new TempDir();
        var run = await RunScriptAsync(cache.Path, ci: false, skip: "27,29", mirror: UnreachableMirror());

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("OTP 27 skipped", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("OTP 29 skipped", run.StdErr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateDirectories(cache.Path));
    }

    [Fact]
    public async Task On_a_provisioned_machine_it_verifies_and_prints_each_release()
    {
        // The real cache, with the caller's own opt-out: this never provisions what the tests skip.
        var run = await RunScriptAsync(OtpInstall.CacheDir, ci: OtpInstall.IsCi,
            skip: Environment.GetEnvironmentVariable("BEAMWIRE_OTP_SKIP"), mirror: null, "--verify");

        Assert.True(run.ExitCode == 0, run.StdErr);
        var expected = new[] { OtpRelease.Otp27, OtpRelease.Otp29 }.Where(r => !OtpInstall.IsOptedOut(r)).ToList();
        var lines = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Count, lines.Length);
        foreach (var (release, line) in expected.Zip(lines))
        {
            var n = (int)release;
            var dir = Path.Combine(OtpInstall.CacheDir, "otp" + n);
            Assert.Matches($@"^OTP {n}: {Regex.Escape(dir)} \(otp_release={n} elixir=1\.\d+\.\d+\)$", line);
        }
    }

    // A loopback port nothing listens on: debootstrap fails at once, without touching the network.
    private static string UnreachableMirror() => $"http://127.0.0.1:{FreePort.Next()}/debian";

    private static async Task<OtpCommand.Result> RunScriptAsync(string cache, bool ci, string? skip, string? mirror, params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(RepoRoot(), "scripts", "otp-peers.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["BEAMWIRE_OTP_CACHE"] = cache;
        psi.Environment.Remove("CI");
        if (ci) psi.Environment["CI"] = "true";
        psi.Environment.Remove("BEAMWIRE_OTP_SKIP");
        if (skip is not null) psi.Environment["BEAMWIRE_OTP_SKIP"] = skip;
        psi.Environment.Remove("BEAMWIRE_DEBIAN_MIRROR");
        if (mirror is not null) psi.Environment["BEAMWIRE_DEBIAN_MIRROR"] = mirror;

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return new OtpCommand.Result(p.ExitCode, await stdout, await stderr);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Beamwire.sln"))) return dir.FullName;
        throw new InvalidOperationException("Beamwire.sln not found above " + AppContext.BaseDirectory);
    }
}
