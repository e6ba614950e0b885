using Beamwire.Terms.Tests.Support;
using Beamwire.Testing;
using CsCheck;
using Xunit;
using Xunit.Abstractions;

namespace Beamwire.Terms.Tests.Codec;

/// <summary>
/// Generated terms against a real erl of each release: erl decodes our bytes with binary_to_term and
/// re-encodes them with <c>term_to_binary(T, [{minor_version, 2}])</c>. The bytes must be identical to
/// ours, except where OTP's map key order or its port tag is its own (docs/terms.md): there the terms
/// erl's bytes decode to must equal ours. Batched, so thousands of terms take seconds.
/// </summary>
public class ErlPropertyTests(ITestOutputHelper output)
{
    private const int GeneratedPerRun = 3000;
    private const int BatchSize = 500;

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Real_erl_re_encodes_our_terms_to_the_same_bytes(OtpRelease release)
    {
        ulong seed = ulong.TryParse(Environment.GetEnvironmentVariable("BEAMWIRE_TERMS_SEED"), out var fixedSeed) ? fixedSeed : (ulong)Random.Shared.NextInt64();
        output.WriteLine($"seed {seed} (set BEAMWIRE_TERMS_SEED={seed} to repeat)");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var pcg = new PCG(1, seed);
        var gen = TermGen.Term();
        var terms = TermGen.EdgeCases().ToList();
        for (int i = 0; i < GeneratedPerRun; i++) terms.Add(gen.Generate(pcg, null, out _));

        output.WriteLine($"generated in {clock.ElapsedMilliseconds} ms");
        await using var session = await PeerSession.StartAsync(release);
        output.WriteLine($"peer up at {clock.ElapsedMilliseconds} ms");
        var failures = new List<string>();
        int checkedBytes = 0, checkedTerms = 0;
        for (int start = 0; start < terms.Count; start += BatchSize)
        {
            var batch = terms.GetRange(start, Math.Min(BatchSize, terms.Count - start));
            var ours = batch.Select(TermEncoder.ToArray).ToArray();
            // The batch travels as one term: a list of our encodings. erl answers with a list of its
            // re-encodings, or {error, Reason} for a term it refused.
            var carrier = TermEncoder.ToArray(new ErlangList(ours.Select(b => (ErlangTerm)new ErlangBinary(b)).ToArray()));
            var answer = await session.TransformAsync(carrier,
                "fun(In) -> term_to_binary([try term_to_binary(binary_to_term(B), [{minor_version, 2}]) catch C:E -> {error, {C, E}} end " +
                "|| B <- binary_to_term(In)]) end",
                TimeSpan.FromSeconds(60));
            var back = (ErlangList)TermDecoder.Decode(answer);
            Assert.Equal(batch.Count, back.Count);
            for (int i = 0; i < batch.Count; i++)
            {
                var term = batch[i];
                if (back[i] is not ErlangBinary erlBinary)
                {
                    failures.Add($"{Cut(term)}\n  erl refused our bytes {Cut(T.Hex(ours[i]))}: {back[i]}");
                    continue;
                }

                var erlBytes = erlBinary.Bytes.Span;
                if (ExactBytesExpected(term, release))
                {
                    checkedBytes++;
                    if (!erlBytes.SequenceEqual(ours[i]))
                        failures.Add($"{Cut(term)}\n  {Diff(ours[i], erlBytes)}");
                }
                else
                {
                    checkedTerms++;
                    var decoded = TermDecoder.Decode(erlBytes);
                    if (!decoded.Equals(term)) failures.Add($"{Cut(term)}\n  erl's bytes decode to {Cut(decoded)}");
                }
            }
        }

        output.WriteLine($"{terms.Count} terms: {checkedBytes} byte-identical, {checkedTerms} term-equal, {clock.ElapsedMilliseconds} ms");
        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} of {terms.Count} differ:\n" + string.Join("\n", failures.Take(10)));
    }

    // OTP 25 sorts small maps (<= 32 keys) as we do; OTP 26+ orders atom keys by atom index and
    // writes every port as V4_PORT_EXT. Larger maps are in hash order on every release.
    private static bool ExactBytesExpected(ErlangTerm t, OtpRelease release) => t switch
    {
        ErlangMap m => release == OtpRelease.Otp25 && m.Count <= 32 && All(m),
        ErlangPort => release == OtpRelease.Otp25,
        ErlangTuple tu => All(tu.Elements, release),
        ErlangList l => All(l.Elements, release) && (l.IsProper || ExactBytesExpected(l.Tail, release)),
        _ => true,
    };

    private static bool All(ErlangMap m)
    {
        foreach (var (k, v) in m.Entries)
            if (!ExactBytesExpected(k, OtpRelease.Otp25) || !ExactBytesExpected(v, OtpRelease.Otp25)) return false;
        return true;
    }

    private static bool All(ReadOnlySpan<ErlangTerm> items, OtpRelease release)
    {
        foreach (var i in items)
            if (!ExactBytesExpected(i, release)) return false;
        return true;
    }

    private static string Diff(ReadOnlySpan<byte> ours, ReadOnlySpan<byte> erl)
    {
        int at = ours.CommonPrefixLength(erl);
        int from = Math.Max(0, at - 16);
        return $"first difference at byte {at} of {ours.Length}/{erl.Length}:\n  ours ...{T.Hex(ours[from..Math.Min(ours.Length, at + 48)])}\n  erl  ...{T.Hex(erl[from..Math.Min(erl.Length, at + 48)])}";
    }

    private static string Cut(string s) => s.Length > 400 ? s[..400] + "..." : s;

    private static string Cut(ErlangTerm t) => Cut(t.ToString());
}
