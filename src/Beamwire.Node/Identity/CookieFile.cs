using System.Security.Cryptography;

namespace Beamwire.Node;

/// <summary>
/// The <c>.erlang.cookie</c> file, read and created exactly as erl does: <c>$HOME/.erlang.cookie</c>,
/// else <c>$XDG_CONFIG_HOME/erlang/.erlang.cookie</c>; when neither exists a new one is written in
/// HOME with 20 random uppercase letters and mode 0400. A file that group or others can access is
/// refused, as erl refuses it.
/// </summary>
public static class CookieFile
{
    public const string FileName = ".erlang.cookie";

    /// <summary>
    /// Reads the cookie from the usual places under <paramref name="home"/> (default: the HOME
    /// environment variable), creating the file when it does not exist yet.
    /// </summary>
    public static string ReadOrCreate(string? home = null)
    {
        home ??= Environment.GetEnvironmentVariable("HOME");
        var xdg = XdgPath(home);
        if (home is { Length: > 0 })
        {
            var homePath = Path.Combine(home, FileName);
            if (File.Exists(homePath)) return Read(homePath);
            if (xdg is not null && File.Exists(xdg)) return Read(xdg);
            Create(homePath);
            return Read(homePath);
        }

        if (xdg is null) throw new CookieException("No home for cookie file: set HOME or give the cookie explicitly.");
        if (File.Exists(xdg)) return Read(xdg);
        Directory.CreateDirectory(Path.GetDirectoryName(xdg)!);
        Create(xdg);
        return Read(xdg);
    }

    /// <summary>Reads and validates one cookie file.</summary>
    public static string Read(string path)
    {
        const UnixFileMode groupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                           UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        return Read(path, groupOrOthers, "must be accessible by owner only (chmod 400 {0})");
    }

    /// <summary>
    /// Reads a cookie from a mounted secret (<see cref="BeamNodeOptions.CookieFile"/>): the content rules are
    /// erl's, but a file others may read is accepted (Docker secrets are 0444, Kubernetes' default 0644);
    /// one that group or others may write is not.
    /// </summary>
    public static string ReadSecret(string path) =>
        Read(path, UnixFileMode.GroupWrite | UnixFileMode.OtherWrite, "must not be writable by group or others (chmod go-w {0})");

    private static string Read(string path, UnixFileMode refused, string rule)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists) throw new CookieException($"Cookie file {path} does not exist.");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & refused) != 0)
            throw new CookieException($"Cookie file {path} " + string.Format(System.Globalization.CultureInfo.InvariantCulture, rule, path) + ".");

        string text;
        try
        {
            text = File.ReadAllText(path, System.Text.Encoding.Latin1);
        }
        catch (IOException ex)
        {
            throw new CookieException($"Error when reading {path}: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new CookieException($"Error when reading {path}: {ex.Message}", ex);
        }

        return Validate(text, path);
    }

    /// <summary>
    /// erl's rule: printable ASCII (space to '~'), then only trailing CR, LF or spaces. Anything else,
    /// or nothing at all, is refused.
    /// </summary>
    internal static string Validate(string text, string source)
    {
        var end = 0;
        while (end < text.Length && text[end] >= ' ' && text[end] <= '~') end++;
        for (var i = end; i < text.Length; i++)
        {
            if (text[i] is not ('\n' or '\r' or ' '))
                throw new CookieException($"Bad characters in cookie ({source}).");
        }

        if (end == 0) throw new CookieException($"Too short cookie string ({source}).");
        return text[..end];
    }

    /// <summary>Writes a new cookie of 20 random uppercase letters with mode 0400.</summary>
    public static void Create(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Span<char> letters = stackalloc char[20];
        for (var i = 0; i < letters.Length; i++) letters[i] = (char)('A' + RandomNumberGenerator.GetInt32(26));
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(path, options))
            {
                Span<byte> bytes = stackalloc byte[20];
                for (var i = 0; i < 20; i++) bytes[i] = (byte)letters[i];
                stream.Write(bytes);
            }

            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead);
        }
        catch (IOException ex)
        {
            throw new CookieException($"Failed to create cookie file '{path}': {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new CookieException($"Failed to create cookie file '{path}': {ex.Message}", ex);
        }
    }

    private static string? XdgPath(string? home)
    {
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(config))
        {
            if (string.IsNullOrEmpty(home)) return null;
            config = Path.Combine(home, ".config");
        }

        return Path.Combine(config, "erlang", FileName);
    }
}
