namespace Beamwire.Cluster.Dns;

/// <summary>What to look up and how answers become node names: <c>basename@ip</c> (A, AAAA) or <c>basename@target</c> (SRV).</summary>
internal sealed record DnsQuery(string Basename, string Name, bool A, bool Aaaa, bool Srv);
