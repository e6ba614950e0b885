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
    private static readonly Dictionary<OtpRelease, OtpInstall> Cache = new();
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
    public static bool IsOptedOut(OtpRelease release) =>
        IsOptedOut(release, Environment.GetEnvironmentVariable("BEAMWIRE_OTP_SKIP"), IsCi);

    /// <summary>The opt-out rule itself: <paramref name="skip"/> is a BEAMWIRE_OTP_SKIP value ("27,29", "all").</summary>
    public static bool IsOptedOut(OtpRelease release, string? skip, bool ci)
    {
        if (ci) return false;
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
                install = Find(release, CacheDir);
                Cache[release] = install;
            }

            return install;
        }
    }

    /// <summary>
    /// Looks a release up in a given cache folder (no memoisation); throws with what to run when it is
    /// missing, so a test of a release that was not provisioned fails instead of skipping.
    /// </summary>
    public static OtpInstall Find(OtpRelease release, string cacheDir)
    {
        if (release == OtpRelease.Otp25)
        {
            if (File.Exists("/usr/bin/erl")) return new OtpInstall(release, null);
        }
        else
        {
            var dir = Path.Combine(cacheDir, "otp" + (int)release);
            // The stamp is written only after the chroot passed verification (an interrupted
            // provisioning never leaves one behind), so erl + stamp means complete.
            if (File.Exists(Path.Combine(dir, "usr/bin/erl")) && File.Exists(Path.Combine(dir, StampFile)))
                return new OtpInstall(release, dir);
        }

        throw new InvalidOperationException(
            $"Erlang/OTP {(int)release} is not installed here" +
            (release == OtpRelease.Otp25 ? " (apt-get install erlang-base erlang-crypto elixir)" : $" (no complete chroot in {cacheDir})") +
            ". Run scripts/otp-peers.sh (the test command does), " +
            $"or, outside CI only, opt out with BEAMWIRE_OTP_SKIP={(int)release}.");
    }

    /// <summary>The file scripts/otp-peers.sh writes into a chroot once it is verified.</summary>
    public const string StampFile = ".beamwire-otp-stamp";

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
            // Host paths (HOME, the .NET SDK on PATH, TMPDIR) mean nothing inside the chroot.
            psi.Environment["HOME"] = "/root";
            psi.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
            psi.Environment.Remove("TMPDIR");
        }

        foreach (var a in args) psi.ArgumentList.Add(a);
        // A developer's shell may carry ERL_AFLAGS, ERL_LIBS, ELIXIR_ERL_OPTIONS, ERL_EPMD_PORT...: they
        // would silently change every peer, so only what the caller passes reaches the runtime.
        foreach (var name in psi.Environment.Keys.ToList())
            if (name.StartsWith("ERL_", StringComparison.Ordinal) || name.StartsWith("ELIXIR_", StringComparison.Ordinal)
                || name.StartsWith("MIX_", StringComparison.Ordinal) || name.StartsWith("HEART_", StringComparison.Ordinal)
                || name.StartsWith("RELEASE_", StringComparison.Ordinal))
                psi.Environment.Remove(name);
        // UTF-8 I/O, and no "native name encoding latin1" warning from Elixir in the output.
        psi.Environment["LANG"] = "C.UTF-8";
        psi.Environment["LC_ALL"] = "C.UTF-8";
        if (env is not null)
            foreach (var (k, v) in env) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>
    /// Makes a host file (an .exs script, a .beam, a config) readable by this release's programs and
    /// returns the path to pass them. The host's OTP reads it in place; a chroot cannot see host
    /// paths, so the file is copied into the chroot's /tmp/beamwire/ under a fresh folder.
    /// </summary>
    public string ShareFile(string hostPath)
    {
        if (ChrootDir is null) return Path.GetFullPath(hostPath);
        var inside = "/tmp/beamwire/" + Guid.NewGuid().ToString("N") + "/" + Path.GetFileName(hostPath);
        var target = ChrootDir + inside;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(hostPath, target);
        return inside;
    }

    public override string ToString() => $"OTP {(int)Release}" + (ChrootDir is null ? " (host)" : $" ({ChrootDir})");
}
