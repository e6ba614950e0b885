using Beamwire.Testing;

namespace Beamwire.Terms.Tests.Support;

/// <summary>A private real epmd and one real peer of a release, stopped together.</summary>
internal sealed class PeerSession : IAsyncDisposable
{
    private readonly RealEpmd _epmd;

    private PeerSession(RealEpmd epmd, ErlangPeer peer)
    {
        _epmd = epmd;
        Peer = peer;
    }

    public ErlangPeer Peer { get; }

    public static async Task<PeerSession> StartAsync(OtpRelease release, PeerKind kind = PeerKind.Erl)
    {
        var epmd = await RealEpmd.StartAsync(release);
        try
        {
            var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Kind = kind, SName = TestHost.UniqueName("terms") });
            return new PeerSession(epmd, peer);
        }
        catch
        {
            await epmd.DisposeAsync();
            throw;
        }
    }

    /// <summary>Evaluates and returns the value's ETF bytes; throws with the peer's error text when it raised.</summary>
    public async Task<byte[]> EvalEtfAsync(string expression, TimeSpan? timeout = null)
    {
        var r = await Peer.EvalAsync(expression, timeout);
        if (!r.Ok) throw new InvalidOperationException($"{Peer} raised on `{Shorten(expression)}`: {r.Text}");
        return r.Etf;
    }

    /// <summary>
    /// Runs <paramref name="erlangFun"/> (an Erlang fun of one binary returning a binary) on
    /// <paramref name="input"/> in the peer and returns its result. The bytes travel through files,
    /// not the eval line: erl_scan and ~p need tens of seconds for a few megabytes.
    /// </summary>
    public async Task<byte[]> TransformAsync(byte[] input, string erlangFun, TimeSpan? timeout = null)
    {
        string name = "bw-terms-" + Guid.NewGuid().ToString("N");
        string peerIn = "/tmp/" + name + ".in", peerOut = "/tmp/" + name + ".out";
        string root = OtpInstall.Get(Peer.Release).ChrootDir ?? "/";
        string hostIn = Path.Combine(root, peerIn.TrimStart('/')), hostOut = Path.Combine(root, peerOut.TrimStart('/'));
        await File.WriteAllBytesAsync(hostIn, input);
        try
        {
            // Bindings persist between evals: the variable name is unique to this call.
            string variable = "BwIn" + name[^32..];
            await EvalEtfAsync(
                $"begin {{ok, {variable}}} = file:read_file(\"{peerIn}\"), ok = file:write_file(\"{peerOut}\", ({erlangFun})({variable})), ok end.",
                timeout);
            return await File.ReadAllBytesAsync(hostOut);
        }
        finally
        {
            File.Delete(hostIn);
            File.Delete(hostOut);
        }
    }

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "...";

    public async ValueTask DisposeAsync()
    {
        await Peer.DisposeAsync();
        await _epmd.DisposeAsync();
    }
}
