using System.Runtime.InteropServices;

namespace Beamwire.Epmd.Daemon.Accept;

/// <summary>The few Linux socket calls the native accept loop makes directly (see <see cref="NativeAcceptLoop"/>).</summary>
internal static class LibC
{
    public const int SockCloexec = 0x80000;   // SOCK_CLOEXEC
    public const int MsgDontWait = 0x40;      // MSG_DONTWAIT
    public const int MsgNoSignal = 0x4000;    // MSG_NOSIGNAL

    public const int EIntr = 4, EBadF = 9, EAgain = 11, ENoMem = 12, EInval = 22, ENFile = 23, EMFile = 24,
        ENotSock = 88, EProto = 71, ENoBufs = 105, EConnAborted = 103;

    [DllImport("libc", EntryPoint = "accept4", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Accept4(int socket, IntPtr address, IntPtr addressLength, int flags);

    [DllImport("libc", EntryPoint = "recv", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern nint Recv(int socket, byte[] buffer, nint length, int flags);

    [DllImport("libc", EntryPoint = "send", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern nint Send(int socket, byte[] buffer, nint length, int flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Close(int fd);
}
