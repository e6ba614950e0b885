using System.Runtime.InteropServices;

namespace Beamwire.Cli.Commands.Epmd;

/// <summary>
/// The child's half of <c>-daemon</c>: what epmd does after its double fork, done by the started process
/// itself since .NET cannot fork. It leaves its starter's session and process group (so a terminal's
/// Ctrl-C or hang-up never reaches it) and puts stdin, stdout and stderr on /dev/null (so it holds no pipe
/// or terminal of the starter's). No shell and no <c>setsid</c> program are needed, which matters in
/// container images that have neither.
/// </summary>
internal static class SessionDetach
{
    /// <summary>Set in the child's environment by <see cref="EpmdDetach"/>.</summary>
    public const string Variable = "BEAMWIRE_EPMD_DETACHED";

    public static bool Requested => Environment.GetEnvironmentVariable(Variable) == "1";

    /// <summary>Becomes a session leader with stdio on /dev/null; false (and nothing changed) off Linux or when /dev/null cannot be opened.</summary>
    public static bool Detach()
    {
        if (!OperatingSystem.IsLinux()) return false;
        Environment.SetEnvironmentVariable(Variable, null); // not passed on to anything this daemon might start
        _ = SetSid(); // fails only when already a group leader, which a freshly started child is not
        var devNull = Open(DevNull, 2 /* O_RDWR */);
        if (devNull < 0) return false;
        for (var fd = 0; fd <= 2; fd++) _ = Dup2(devNull, fd);
        if (devNull > 2) _ = Close(devNull);
        return true;
    }

    private static readonly byte[] DevNull = "/dev/null\0"u8.ToArray();

    [DllImport("libc", EntryPoint = "setsid", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetSid();

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "dup2", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Dup2(int oldfd, int newfd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
