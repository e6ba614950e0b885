namespace Beamwire.Testing;

/// <summary>The Erlang/OTP generations every interop test runs against.</summary>
public enum OtpRelease
{
    /// <summary>OTP 25.2 / Elixir 1.14 from Debian bookworm, installed on the host.</summary>
    Otp25 = 25,
    /// <summary>OTP 27.3 / Elixir 1.18 in a Debian trixie chroot.</summary>
    Otp27 = 27,
    /// <summary>OTP 29.1 / Elixir 1.20 in a Debian sid chroot.</summary>
    Otp29 = 29,
}
