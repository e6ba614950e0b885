using System.CommandLine;
using Beamwire.Soak.Agent;
using Beamwire.Soak.Driver;

namespace Beamwire.Soak;

/// <summary>
/// <c>Beamwire.Soak run</c> drives the soak (see <see cref="SoakRun"/>); <c>Beamwire.Soak agent</c> is one
/// Beamwire node of it, started by the driver in its own OS process.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var seconds = new Option<int>("--seconds") { Description = "traffic time in seconds", DefaultValueFactory = _ => 60 };
        var killEvery = new Option<int>("--kill-every") { Description = "seconds between kills", DefaultValueFactory = _ => 20 };
        var run = new Command("run", "Run the soak: 3 Beamwire and 2 erl nodes (OTP 25, 29), one killed and restarted every --kill-every seconds.") { seconds, killEvery };
        run.SetAction(async (parse, ct) =>
        {
            var options = new SoakOptions
            {
                Duration = TimeSpan.FromSeconds(parse.GetValue(seconds)),
                KillEvery = TimeSpan.FromSeconds(parse.GetValue(killEvery)),
                Log = Console.Out,
            };
            var report = await SoakRun.RunAsync(options, ct);
            Console.Out.Write(report.ToString());
            return report.Passed ? 0 : 1;
        });

        var name = new Option<string>("--name") { Required = true };
        var cookie = new Option<string>("--cookie") { Required = true };
        var epmdPort = new Option<int>("--epmd-port") { Required = true };
        var agent = new Command("agent", "One Beamwire node of the soak (commands on stdin, events on stdout).") { name, cookie, epmdPort };
        agent.SetAction((parse, _) => SoakAgent.RunAsync(parse.GetValue(name)!, parse.GetValue(cookie)!, parse.GetValue(epmdPort)));

        var root = new RootCommand("The Beamwire soak: nothing lost, everything reported, nothing leaked.") { run, agent };
        return await root.Parse(args).InvokeAsync();
    }
}
