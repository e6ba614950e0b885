// The soak runs real Erlang/OTP nodes (chroots, POSIX signals, /proc): this suite runs on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
