using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Beamwire.Epmd.Client;
using Beamwire.Epmd.Diagnostics;
using Beamwire.Epmd.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beamwire.Epmd;

/// <summary>
/// Talks to an epmd (Erlang's or <see cref="EpmdDaemon"/>): registers a node for its lifetime,
/// looks nodes up, lists them. Each call opens its own connection, as epmd expects; the client
/// holds no state and is safe to share.
/// </summary>
public sealed class EpmdClient
{
    private readonly ILogger _logger;
    private IReadOnlyList<IPAddress>? _addresses;

    /// <param name="host">Host epmd runs on: a name, or an IPv4/IPv6 literal (brackets allowed).</param>
    /// <param name="port">epmd's port; null reads <c>ERL_EPMD_PORT</c>, else 4369.</param>
    /// <param name="logger">Where registration events are logged.</param>
    public EpmdClient(string host = "localhost", int? port = null, ILogger<EpmdClient>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        var p = port ?? EpmdDefaults.ResolvePort();
        if (p is <= 0 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(port), p, "epmd's port is 1..65535.");
        Host = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        Port = p;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>How long one request may take, connect included (default 5 s). Exceeding it throws <see cref="EpmdErrorReason.Timeout"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Registers <paramref name="name"/> (ALIVE2_REQ). The returned registration keeps the connection
    /// open: epmd drops the name when it closes, so keep it for the node's lifetime and dispose it at
    /// shutdown. Throws <see cref="EpmdErrorReason.NameTaken"/> when epmd refuses the name.
    /// </summary>
    public async Task<EpmdRegistration> RegisterAsync(string name, int port, EpmdNodeType type = EpmdNodeType.Normal,
        ushort highestVersion = 6, ushort lowestVersion = 5, ReadOnlyMemory<byte> extra = default, CancellationToken ct = default)
    {
        var frame = ClientRequests.Alive2(name, port, type, 0, highestVersion, lowestVersion, extra.Span);
        using var timeout = StartTimeout(ct);
        var socket = await ConnectAsync(timeout.Token, ct).ConfigureAwait(false);
        try
        {
            var reply = new byte[6];
            try
            {
                await EpmdConnection.SendAsync(socket, frame, timeout.Token).ConfigureAwait(false);
                var got = await EpmdConnection.ReadAtLeastAsync(socket, reply.AsMemory(0, 1), timeout.Token).ConfigureAwait(false);
                if (got == 0)
                    throw EpmdConnection.ClosedEarly("ALIVE2 reply", 0);
                var length = ClientReplies.Alive2ReplyLength(reply[0]);
                if (length < 0)
                    throw ClientReplies.Malformed("ALIVE2 reply (unknown tag)", reply.AsSpan(0, 1));
                got += await EpmdConnection.ReadAtLeastAsync(socket, reply.AsMemory(1, length - 1), timeout.Token).ConfigureAwait(false);
                if (got < length)
                    throw EpmdConnection.ClosedEarly("ALIVE2 reply", got);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw TimedOut("ALIVE2");
            }
            catch (SocketException ex)
            {
                throw Lost("ALIVE2", ex);
            }

            var (result, creation) = ClientReplies.Alive2(reply);
            if (result != 0)
                throw new EpmdException(EpmdErrorReason.NameTaken,
                    $"epmd at {socket.RemoteEndPoint} refused to register '{name}' (result {result}): the name is in use by another node, or not a valid name.");
            EpmdLog.Registered(_logger, name, port, creation, socket.RemoteEndPoint);
            EpmdMetrics.ClientRequests.Add(1, new KeyValuePair<string, object?>("request", "alive2"));
            var registration = new EpmdRegistration(socket, name, port, creation, _logger);
            socket = null;
            return registration;
        }
        finally
        {
            socket?.Dispose();
        }
    }

    /// <summary>Looks up <paramref name="name"/> (PORT_PLEASE2_REQ); null when it is not registered.</summary>
    public async Task<EpmdNodeInfo?> PortPleaseAsync(string name, CancellationToken ct = default)
    {
        var (buffer, length) = await RequestToEndAsync(ClientRequests.Port2(name), "PORT_PLEASE2", ct).ConfigureAwait(false);
        try
        {
            if (length == 0)
                throw EpmdConnection.ClosedEarly("PORT2_RESP", 0);
            return ClientReplies.Port2(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The registered names and ports (NAMES_REQ), newest registration first as epmd lists them.</summary>
    public async Task<IReadOnlyList<EpmdName>> NamesAsync(CancellationToken ct = default)
    {
        var listing = await GetNamesListingAsync(ct).ConfigureAwait(false);
        return listing.ParseNames();
    }

    /// <summary>The NAMES reply unparsed: what <c>epmd -names</c> prints after its first line.</summary>
    public Task<EpmdListing> GetNamesListingAsync(CancellationToken ct = default) => ListingAsync(EpmdCodes.NamesReq, "NAMES", ct);

    /// <summary>The DUMP reply unparsed (active and old names; lines end with NUL). Local clients only.</summary>
    public Task<EpmdListing> GetDumpListingAsync(CancellationToken ct = default) => ListingAsync(EpmdCodes.DumpReq, "DUMP", ct);

    /// <summary>
    /// KILL_REQ: returns epmd's answer, <c>"OK"</c> (it exits) or <c>"NO"</c> (nodes are registered and
    /// relaxed command checking is off), or whatever shorter text came before epmd closed.
    /// </summary>
    public Task<string> KillAsync(CancellationToken ct = default) =>
        ShortAnswerAsync(ClientRequests.Simple(EpmdCodes.KillReq), 2, "KILL", ct);

    /// <summary>
    /// STOP_REQ: forcibly unregisters <paramref name="name"/>. Returns <c>"STOPPED"</c> or <c>"NOEXIST"</c>
    /// when epmd runs with relaxed command checking; otherwise epmd closes without an answer and this
    /// returns the empty string.
    /// </summary>
    public Task<string> StopAsync(string name, CancellationToken ct = default) =>
        ShortAnswerAsync(ClientRequests.Stop(name), 7, "STOP", ct);

    private async Task<string> ShortAnswerAsync(byte[] frame, int length, string what, CancellationToken ct)
    {
        using var timeout = StartTimeout(ct);
        using var socket = await ConnectAsync(timeout.Token, ct).ConfigureAwait(false);
        try
        {
            await EpmdConnection.SendAsync(socket, frame, timeout.Token).ConfigureAwait(false);
            var answer = new byte[length];
            var got = await EpmdConnection.ReadAtLeastAsync(socket, answer, timeout.Token).ConfigureAwait(false);
            return System.Text.Encoding.Latin1.GetString(answer, 0, got);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw TimedOut(what);
        }
        catch (SocketException ex)
        {
            throw Lost(what, ex);
        }
    }

    private async Task<EpmdListing> ListingAsync(byte code, string what, CancellationToken ct)
    {
        var (buffer, length) = await RequestToEndAsync(ClientRequests.Simple(code), what, ct).ConfigureAwait(false);
        try
        {
            if (length < 4)
                throw EpmdConnection.ClosedEarly(what + " reply", length);
            var port = BinaryPrimitives.ReadInt32BigEndian(buffer);
            return new EpmdListing(port, buffer.AsSpan(4, length - 4).ToArray());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<(byte[] Buffer, int Length)> RequestToEndAsync(byte[] frame, string what, CancellationToken ct)
    {
        using var timeout = StartTimeout(ct);
        using var socket = await ConnectAsync(timeout.Token, ct).ConfigureAwait(false);
        try
        {
            await EpmdConnection.SendAsync(socket, frame, timeout.Token).ConfigureAwait(false);
            var result = await EpmdConnection.ReadToEndAsync(socket, timeout.Token).ConfigureAwait(false);
            EpmdMetrics.ClientRequests.Add(1, new KeyValuePair<string, object?>("request", what));
            return result;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw TimedOut(what);
        }
        catch (SocketException ex)
        {
            throw Lost(what, ex);
        }
    }

    private async Task<Socket> ConnectAsync(CancellationToken timeout, CancellationToken ct)
    {
        try
        {
            var addresses = _addresses ??= await ResolveAsync(Host, timeout).ConfigureAwait(false);
            return await EpmdConnection.ConnectAsync(addresses, Port, timeout).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw TimedOut("connect");
        }
    }

    private static async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host, out var literal))
            return [literal];
        // Both loopbacks for "localhost" without asking a resolver: epmd listens on both.
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        try
        {
            var found = await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
            if (found.Length == 0)
                throw new EpmdException(EpmdErrorReason.NotRunning, $"The epmd host '{host}' has no address.");
            return found;
        }
        catch (SocketException ex)
        {
            throw new EpmdException(EpmdErrorReason.NotRunning, $"The epmd host '{host}' does not resolve: {ex.Message}", ex);
        }
    }

    private CancellationTokenSource StartTimeout(CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Timeout);
        return cts;
    }

    private EpmdException TimedOut(string what) => new(EpmdErrorReason.Timeout,
        $"epmd at {Host}:{Port} gave no complete {what} reply within {Timeout.TotalSeconds:0.###} s.");

    private EpmdException Lost(string what, SocketException ex) => new(EpmdErrorReason.Malformed,
        $"The connection to epmd at {Host}:{Port} failed during {what}: {ex.SocketErrorCode}.", ex);
}
