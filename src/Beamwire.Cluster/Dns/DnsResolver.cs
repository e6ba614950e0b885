using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Beamwire.Cluster.Dns;

/// <summary>
/// DNS lookups for the DNS strategies (DnsClient underneath), telling a failed lookup (timeout,
/// NXDOMAIN, SERVFAIL, refused) apart from an answer: libcluster's <c>:inet_res.lookup</c> turns
/// every failure into an empty list, and with it disconnects the whole cluster.
/// </summary>
internal sealed class DnsResolver
{
    private readonly LookupClient _client;

    public DnsResolver(IReadOnlyList<IPEndPoint> nameservers, TimeSpan timeout)
    {
        var options = nameservers.Count > 0 ? new LookupClientOptions([.. nameservers]) : new LookupClientOptions();
        options.UseCache = false;
        options.Timeout = timeout;
        options.Retries = 1;
        options.ThrowDnsErrors = false;
        options.ContinueOnDnsError = false;
        options.UseTcpFallback = true;
        _client = new LookupClient(options);
    }

    /// <summary>Node names for the query, or the reason the lookup failed.</summary>
    public async Task<(List<string>? Names, string? Error)> ResolveAsync(DnsQuery q, CancellationToken ct)
    {
        var names = new List<string>();
        foreach (var (wanted, type) in new[] { (q.A, QueryType.A), (q.Aaaa, QueryType.AAAA), (q.Srv, QueryType.SRV) })
        {
            if (!wanted) continue;
            IDnsQueryResponse r;
            try
            {
                r = await _client.QueryAsync(q.Name, type, QueryClass.IN, ct).ConfigureAwait(false);
            }
            catch (DnsResponseException e)
            {
                return (null, $"{type} {q.Name}: {e.Code} {e.Message}");
            }

            if (r.HasError)
                return (null, $"{type} {q.Name}: {r.Header.ResponseCode.ToString().ToUpperInvariant()}");
            foreach (var rec in r.Answers)
            {
                switch (rec)
                {
                    case ARecord a: names.Add(q.Basename + "@" + a.Address); break;
                    case AaaaRecord a6: names.Add(q.Basename + "@" + a6.Address); break;
                    case SrvRecord s: names.Add(q.Basename + "@" + s.Target.Value.TrimEnd('.')); break;
                }
            }
        }

        return (names, null);
    }

    /// <summary>Parses <c>ip</c> or <c>ip:port</c> / <c>[ipv6]:port</c> (port 53 by default).</summary>
    public static bool TryEndpoint(string s, out IPEndPoint endpoint)
    {
        if (IPAddress.TryParse(s, out var bare)) { endpoint = new IPEndPoint(bare, 53); return true; }
        if (IPEndPoint.TryParse(s, out var ep) && ep.Port != 0) { endpoint = ep; return true; }
        endpoint = null!;
        return false;
    }
}
