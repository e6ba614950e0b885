using System.Diagnostics;
using System.Globalization;
using Beamwire.Testing;

namespace Beamwire.Soak.Driver;

/// <summary>
/// How to start one agent node (every incarnation of it has the same name). <paramref name="ErlSource"/> is
/// soak_agent.erl's path as the release sees it (see <see cref="OtpInstall.ShareFile"/>).
/// </summary>
internal sealed record AgentSpec(string Role, AgentKind Kind, OtpRelease Release, string Node, string ShortName, string Cookie, int EpmdPort, string ErlSource)
{
    public string Label => Kind == AgentKind.Beamwire ? $"{Role} (Beamwire)" : $"{Role} (OTP {(int)Release})";

    public ProcessStartInfo StartInfo()
    {
        var port = EpmdPort.ToString(CultureInfo.InvariantCulture);
        if (Kind == AgentKind.Beamwire)
        {
            var psi = new ProcessStartInfo
            {
                FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in (string[])[typeof(AgentSpec).Assembly.Location, "agent", "--name", ShortName, "--cookie", Cookie, "--epmd-port", port])
                psi.ArgumentList.Add(a);
            return psi;
        }

        var boot = $"{{ok, M, B}} = compile:file(\"{ErlSource}\", [binary, report]), {{module, M}} = code:load_binary(M, \"{ErlSource}\", B), soak_agent:main().";
        return OtpInstall.Get(Release).StartInfo("erl", ["-noshell", "-sname", ShortName, "-setcookie", Cookie, "-start_epmd", "false", "-eval", boot],
            new Dictionary<string, string> { ["ERL_EPMD_PORT"] = port });
    }
}
