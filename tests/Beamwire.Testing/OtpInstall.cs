using System.Diagnostics;

namespace Beamwire.Testing;

/// <summary>
/// Where one OTP generation lives on this machine and how to run its programs (erl, epmd, elixir).
/// OTP 25 is the host's Debian package; newer ones run inside chroots provisioned by
/// <c>scripts/otp-peers.sh</c> into <c>$BEAMWIRE_OTP_CACHE</c> (default /var/cache/beamwire-otp).
/// A chroot shares the host's network, so its nodes talk to host nodes over loopback.
/// </summary>
public sealed class OtpInstall
{
    private static readonly Dictionary<OtpRelease, OtpInstall?> Cache = new();
    private static readonly object Gate = new();

    private OtpInstall(OtpRelease release, string? chrootDir)
    {
        Release = release;
        ChrootDir = chrootDir;
    }

    public OtpRelease Release { get; }

    /// <summary>The chroot that holds this release, or null for the host installation.</summary>
    public string? ChrootDir { get; }

    /// <summary>The cache folder the provisioning script fills.</summary>
    public static string CacheDir =>
        Environment.GetEnvironmentVariable("BEAMWIRE_OTP_CACHE") is { Length: > 0 } dir ? dir : "/var/cache/beamwire-otp";

    /// <summary>
    /// Releases a developer opted out of with BEAMWIRE_OTP_SKIP=27,29 (ignored when CI is set: in CI
    /// a release that is not there fails the run instead of being skipped).
    /// </summary>
    public static bool IsOptedOut(OtpRelease release)
    {
        if (IsCi) return false;
        var skip = Environment.GetEnvironmentVariable("BEAMWIRE_OTP_SKIP");
        if (string.IsNullOrEmpty(skip)) return false;
        var number = ((int)release).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return skip.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(s => s == number || s == "all");
    }

    public static bool IsCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>The installation of a release; throws with what to run when it is missing.</summary>
    public static OtpInstall Get(OtpRelease release)
    {
        lock (Gate)
        {
            if (!Cache.TryGetValue(release, out var install))
            {
                install = Probe(release);
                Cache[release] = install;
            }

            return install ?? throw new InvalidOperationException(
                $"Erlang/OTP {(int)release} is not installed here. Run scripts/otp-peers.sh (the test command does), " +
                $"or, outside CI only, opt out with BEAMWIRE_OTP_SKIP={(int)release}.");
        }
    }

    private static OtpInstall? Probe(OtpRelease release)
    {
        if (release == OtpRelease.Otp25)
            return File.Exists("/usr/bin/erl") ? new OtpInstall(release, null) : null;
        var dir = Path.Combine(CacheDir, "otp" + (int)release);
        return File.Exists(Path.Combine(dir, "usr/bin/erl")) ? new OtpInstall(release, dir) : null;
    }

    /// <summary>
    /// A start info for one of this release's programs (erl, epmd, elixir, iex, escript), with stdio redirected.
    /// Extra environment variables are passed through the chroot unchanged.
    /// </summary>
    public ProcessStartInfo StartInfo(string program, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (ChrootDir is null)
        {
            psi.FileName = "/usr/bin/" + program;
        }
        else
        {
            psi.FileName = "/usr/sbin/chroot";
            psi.ArgumentList.Add(ChrootDir);
            psi.ArgumentList.Add("/usr/bin/" + program);
            psi.Environment["HOME"] = "/root";
        }

        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LANG"] = "C.UTF-8";
        psi.Environment["LC_ALL"] = "C.UTF-8";
        if (env is not null)
            foreach (var (k, v) in env) psi.Environment[k] = v;
        return psi;
    }

    public override string ToString() => $"OTP {(int)Release}" + (ChrootDir is null ? " (host)" : $" ({ChrootDir})");
}
