using System.Buffers.Binary;
using System.Net.Sockets;
using Beamwire.Epmd.Tests.Support;
using Beamwire.Testing;
using Xunit;
using static Beamwire.Epmd.Tests.Support.RawEpmd;

namespace Beamwire.Epmd.Tests.Interop;

/// <summary>
/// The same request sequence, valid and invalid, sent over raw TCP to the real epmd of a release and
/// to our daemon: the recorded replies must be byte-identical. Creations are time-seeded in both, so
/// their values are masked and their rules (+1 per re-registration, 1..3 for old nodes) checked apart.
/// </summary>
public sealed class ReplyTranscriptTests
{
    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Replies_are_byte_identical_to_real_epmd(OtpRelease release)
    {
        List<string> real, ours, portable;
        await using (var epmd = await RealEpmd.StartAsync(release))
            real = await RunScriptAsync(epmd.Port, relaxed: false);
        await using (var daemon = await EpmdDaemon.StartAsync(new EpmdDaemonOptions { Port = 0 }))
            ours = await RunScriptAsync(daemon.Port, relaxed: false);
        // The same through the accept loop other operating systems use.
        await using (var daemon = await EpmdDaemon.StartAsync(new EpmdDaemonOptions { Port = 0, PortableAcceptLoop = true }))
            portable = await RunScriptAsync(daemon.Port, relaxed: false);
        AssertSameTranscript(real, ours);
        AssertSameTranscript(real, portable);
    }

    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Relaxed_replies_are_byte_identical_to_real_epmd_and_KILL_stops_both(OtpRelease release)
    {
        List<string> real, ours;
        await using (var epmd = await RealEpmd.StartAsync(release, null, "-relaxed_command_check"))
        {
            real = await RunScriptAsync(epmd.Port, relaxed: true);
            real.Add("after kill: " + await ConnectsAsync(epmd.Port));
        }

        await using (var daemon = await EpmdDaemon.StartAsync(new EpmdDaemonOptions { Port = 0, RelaxedCommandCheck = true }))
        {
            ours = await RunScriptAsync(daemon.Port, relaxed: true);
            await daemon.Completion.WaitAsync(TimeSpan.FromSeconds(5));
            ours.Add("after kill: " + await ConnectsAsync(daemon.Port));
        }

        AssertSameTranscript(real, ours);
        Assert.Contains("after kill: refused", ours);
    }

    private static void AssertSameTranscript(List<string> real, List<string> ours)
    {
        var diff = real.Zip(ours).Where(p => p.First != p.Second).Select(p => $"real  {p.First}\nours  {p.Second}").ToList();
        Assert.True(diff.Count == 0 && real.Count == ours.Count,
            $"transcripts differ ({real.Count} vs {ours.Count} lines):\n{string.Join("\n", diff)}\n--- real:\n{string.Join("\n", real)}");
    }

    private static async Task<string> ConnectsAsync(int port)
    {
        try
        {
            using var s = await RawEpmd.ConnectAsync(port, "127.0.0.1");
            return "connected";
        }
        catch (SocketException)
        {
            return "refused";
        }
    }

    private static async Task<List<string>> RunScriptAsync(int port, bool relaxed)
    {
        var t = new List<string>();
        var kept = new List<Socket>();
        async Task Req(string label, byte[] bytes, bool halfClose = false) =>
            t.Add($"{label}: {Normalize(await SendAsync(port, bytes, halfClose), port)}");
        async Task<(Socket Socket, byte[] Reply)> Alive(string label, byte[] body, int replyLength)
        {
            var (s, reply) = await KeepAsync(port, Frame(body), replyLength);
            kept.Add(s);
            t.Add($"{label}: {MaskCreation(reply)}");
            return (s, reply);
        }

        try
        {
            await Req("names empty", Frame(110));
            await Req("dump empty", Frame(100));
            var (alpha, alphaReply) = await Alive("alive alpha", Alive2Body("alpha", 5001, extra: [9, 8, 7]), 6);
            var alphaCreation = BinaryPrimitives.ReadUInt32BigEndian(alphaReply.AsSpan(2));
            await Alive("alive alpha again (taken)", Alive2Body("alpha", 5002), 6);
            var (beta, _) = await Alive("alive beta v5", Alive2Body("beta", 5003, high: 5, low: 5), 4);
            await Alive("alive gamma hidden", Alive2Body("gamma", 5004, high: 6, low: 6, type: 72), 6);
            await Alive("alive unicode", Alive2Body("δέλτα", 5005), 6);
            await Alive("alive 255 chars", Alive2Body(new string('n', 255), 5006), 6);
            await Alive("alive 256 chars (too long)", Alive2Body(new string('n', 256), 5007), 6);
            await Alive("alive bad utf8", [.. Alive2Body("ab", 5008)[..11], 0xC3, 0x28, 0, 0], 6);
            await Alive("alive empty name", Alive2Body("", 5009), 6);

            await Req("port2 alpha", Frame(Named(122, "alpha")));
            await Req("port2 alpha NUL-terminated", Frame([.. Named(122, "alpha"), 0]));
            await Req("port2 beta", Frame(Named(122, "beta")));
            await Req("port2 gamma", Frame(Named(122, "gamma")));
            await Req("port2 unicode", Frame(Named(122, "δέλτα")));
            await Req("port2 255 chars", Frame(Named(122, new string('n', 255))));
            await Req("port2 254 chars", Frame(Named(122, new string('n', 254))));
            await Req("port2 nosuch", Frame(Named(122, "nosuch")));
            await Req("port2 NUL inside", Frame([.. Named(122, "al"), 0, .. "pha"u8.ToArray()]));
            await Req("port2 no name", Frame(122));
            await Req("port2 bad utf8", Frame(122, 0xFF, 0xFE));
            await Req("names", Frame(110));
            await Req("dump", Frame(100));

            await Req("stop nosuch", Frame(Named(115, "nosuch")));
            await Req("stop no name", Frame(115));
            await Req("stop gamma", Frame(Named(115, "gamma")));
            await Req("names after stop", Frame(110));

            await Req("garbage code", Frame(0xFF));
            await Req("garbage code with body", Frame(0x01, 0x02, 0x03));
            await Req("length 0", [0, 0]);
            await Req("length 1 no body", [0, 1], halfClose: true);
            await Req("length 0xFFFF", [0xFF, 0xFF, 122, 1, 2, 3]);
            await Req("length 3058", [0x0B, 0xF2, 110]);
            await Req("length 3057 truncated", [0x0B, 0xF1, 110], halfClose: true);
            await Req("truncated port2", [0, 10, 122, 97, 98], halfClose: true);
            await Req("trailing byte", [.. Frame(110), 0]);
            await Req("one byte only", [0], halfClose: true);
            await Req("nothing", [], halfClose: true);
            await Req("alive2 too short", Frame(120, 0, 1));
            await Req("alive2 name size error", Frame([.. Alive2Body("abc", 1)[..9], 0, 200, 97, 98, 99, 0, 0]));
            await Req("alive2 extra size error", Frame([.. Alive2Body("abc", 1)[..14], 0, 9, 1]));
            await Req("alive2 NUL in name", Frame(Alive2Body("a\0b", 1)));

            // A registration's socket closes: the name goes to the old-names list; registering it again bumps the creation.
            alpha.Dispose();
            await WaitUntilUnregisteredAsync(port, "alpha");
            beta.Dispose();
            await WaitUntilUnregisteredAsync(port, "beta");
            await Req("dump after closes", Frame(100));
            var (again, againReply) = await KeepAsync(port, Frame(Alive2Body("alpha", 5011)), 6);
            kept.Add(again);
            t.Add("alive alpha re-registered: " + MaskCreation(againReply)
                + (BinaryPrimitives.ReadUInt32BigEndian(againReply.AsSpan(2)) == alphaCreation + 1 ? " creation+1" : " creation NOT +1"));
            var (beta2, beta2Reply) = await KeepAsync(port, Frame(Alive2Body("beta", 5012, high: 5, low: 5)), 4);
            kept.Add(beta2);
            t.Add("alive beta re-registered: " + MaskCreation(beta2Reply));
            await Req("names at end", Frame(110));
            await Req("dump at end", Frame(100));

            if (relaxed)
            {
                await Req("stop alpha", Frame(Named(115, "alpha")));
                t.Add("alpha socket after stop: " + Convert.ToHexString(await ReadToEndAsync(again)));
                await Req("names after stop alpha", Frame(110));
            }

            // Without relaxed checking KILL is refused while names are registered; with it epmd exits.
            await Req("kill", Frame(107));
            return t;
        }
        finally
        {
            kept.ForEach(s => s.Dispose());
        }
    }

    // NAMES and DUMP start with the daemon's port, which differs between the two runs; DUMP's
    // "fd = N" numbers depend on which descriptors the real epmd inherited: mask both.
    private static string Normalize(byte[] reply, int port)
    {
        if (reply.Length >= 4 && BinaryPrimitives.ReadInt32BigEndian(reply) == port)
        {
            var text = System.Text.Encoding.UTF8.GetString(reply.AsSpan(4));
            return "<port>" + System.Text.RegularExpressions.Regex.Replace(text, "fd = [0-9]+", "fd = <n>")
                .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\0", "\\0", StringComparison.Ordinal);
        }

        return Convert.ToHexString(reply);
    }

    // ALIVE2 replies carry a time-seeded creation: keep tag and result, mask the value, but check its range.
    private static string MaskCreation(byte[] reply)
    {
        if (reply.Length == 6 && reply[1] == 0)
            return Convert.ToHexString(reply[..2]) + (BinaryPrimitives.ReadUInt32BigEndian(reply.AsSpan(2)) >= 4 ? "<creation32>" : "<bad creation>");
        if (reply.Length == 4 && reply[1] == 0)
            return Convert.ToHexString(reply[..2]) + (BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(2)) is >= 1 and <= 3 ? "<creation1..3>" : "<bad creation>");
        return Convert.ToHexString(reply);
    }
}
