using System.Runtime.InteropServices;

namespace Beamwire.Node.Connection;

/// <summary>A sleep shorter than a millisecond (Thread.Sleep rounds up to whole milliseconds).</summary>
internal static class ShortSleep
{
    private static volatile bool s_unavailable;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    /// <summary>Sleeps about <paramref name="microseconds"/> (plus the kernel's timer slack); yields where unsupported.</summary>
    public static void Microseconds(int microseconds)
    {
        if (!OperatingSystem.IsLinux() || s_unavailable)
        {
            Thread.Yield();
            return;
        }

        try
        {
            var ts = new TimeSpec { Seconds = 0, Nanoseconds = microseconds * 1000 };
            _ = NanoSleep(ref ts, IntPtr.Zero); // an early wake (a signal) only makes the pause shorter
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unavailable = true;
        }
    }

    [DllImport("libc", EntryPoint = "nanosleep")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int NanoSleep(ref TimeSpec duration, IntPtr remaining);
}
