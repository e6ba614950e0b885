using System.Text;
using Beamwire.Epmd;

namespace Beamwire.Cli.Commands.Epmd;

/// <summary>
/// The interactive flags, with the exact texts and exit codes of erl's epmd client: what goes to
/// stdout and what to stderr, and the raw NAMES/DUMP bytes passed through unchanged.
/// </summary>
internal static class EpmdQueries
{
    public static async Task<int> RunAsync(string action, int port, string? stopName, CancellationToken ct)
    {
        // epmd's client talks to the local epmd only; it tries IPv6 loopback, then IPv4.
        var client = new EpmdClient("localhost", port) { Timeout = TimeSpan.FromSeconds(10) };
        var silent = action == "-started";
        try
        {
            return action switch
            {
                "-names" or "-started" => await ListAsync(client.GetNamesListingAsync(ct), silent).ConfigureAwait(false),
                "-dump" => await ListAsync(client.GetDumpListingAsync(ct), silent: false).ConfigureAwait(false),
                "-kill" => await KillAsync(client, ct).ConfigureAwait(false),
                _ => await StopAsync(client, stopName!, ct).ConfigureAwait(false),
            };
        }
        catch (EpmdException ex) when (ex.Reason == EpmdErrorReason.NotRunning)
        {
            if (!silent)
                await Console.Error.WriteAsync("epmd: Cannot connect to local epmd\n").ConfigureAwait(false);
            return 1;
        }
        catch (EpmdException)
        {
            if (!silent)
                await Out("epmd: failed to read answer from local epmd\n").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task<int> ListAsync(Task<EpmdListing> request, bool silent)
    {
        EpmdListing listing;
        try
        {
            listing = await request.ConfigureAwait(false);
        }
        catch (EpmdException ex) when (ex.Reason != EpmdErrorReason.NotRunning)
        {
            if (!silent)
                await Out("epmd: no response from local epmd\n").ConfigureAwait(false);
            return 1;
        }

        if (silent)
            return 0;
        using var stdout = Console.OpenStandardOutput();
        await stdout.WriteAsync(Encoding.ASCII.GetBytes($"epmd: up and running on port {listing.EpmdPort} with data:\n")).ConfigureAwait(false);
        await stdout.WriteAsync(listing.Text).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> KillAsync(EpmdClient client, CancellationToken ct)
    {
        var answer = await client.KillAsync(ct).ConfigureAwait(false);
        if (answer.Length == 2)
        {
            var killed = answer == "OK";
            await Out(killed ? "Killed\n" : "Killing not allowed - living nodes in database.\n").ConfigureAwait(false);
            return killed ? 0 : 1;
        }

        await Out($"epmd: local epmd responded with <{answer}>\n").ConfigureAwait(false);
        return 1;
    }

    private static async Task<int> StopAsync(EpmdClient client, string name, CancellationToken ct)
    {
        if (Encoding.UTF8.GetByteCount(name) > 1000)
        {
            await Out("epmd: Name too long!").ConfigureAwait(false);
            return 1;
        }

        var answer = await client.StopAsync(name, ct).ConfigureAwait(false);
        if (answer.Length == 7)
        {
            await Out(answer + "\n").ConfigureAwait(false);
            return 0;
        }

        await Out($"epmd: local epmd responded with <{answer}>\n").ConfigureAwait(false);
        return 1;
    }

    private static async Task Out(string text)
    {
        await Console.Out.WriteAsync(text).ConfigureAwait(false);
        await Console.Out.FlushAsync().ConfigureAwait(false);
    }
}
