// The interop tests drive real Erlang/OTP peers (chroots, POSIX signals): this suite runs on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
