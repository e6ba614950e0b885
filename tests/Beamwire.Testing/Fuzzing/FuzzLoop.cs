using System.Collections.Concurrent;
using System.Diagnostics;

namespace Beamwire.Testing.Fuzzing;

/// <summary>What one run of a fuzz target did.</summary>
/// <param name="CpuTime">CPU time the workers' threads used: inputs per CPU second is the rate a quiet core reaches, whatever the load.</param>
public sealed record FuzzResult(string Target, ulong Seed, int Workers, long Inputs, TimeSpan Elapsed, TimeSpan CpuTime, IReadOnlyList<string> Problems)
{
    public double PerSecond => Inputs / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public double PerCpuSecond => Inputs / Math.Max(CpuTime.TotalSeconds, 1e-9);

    public override string ToString() =>
        $"{Target}: {Inputs:N0} inputs in {Elapsed.TotalSeconds:F1} s ({PerSecond:N0}/s on {Workers} workers; {CpuTime.TotalSeconds:F1} CPU s, {PerCpuSecond:N0} per CPU second), {Problems.Count} problems; seed {Seed}";
}

/// <summary>
/// Runs a fuzz target on every core for up to a number of inputs and at most a time budget, whichever
/// comes first: a loaded machine does fewer inputs but the run stays bounded. Worker <c>w</c> of
/// <c>W</c> runs inputs <c>w, w+W, ...</c> from its own generator seeded by (seed, w), so a seed and a
/// worker count repeat the inputs.
/// </summary>
public static class FuzzLoop
{
    /// <summary>The run's seed: <paramref name="variable"/> from the environment if set (to repeat a run), else random.</summary>
    public static ulong Seed(string variable) =>
        ulong.TryParse(Environment.GetEnvironmentVariable(variable), out var s) ? s : (ulong)Random.Shared.NextInt64();

    /// <param name="createWorker">Per worker: a function that runs input number <c>i</c> and returns null, or a description of what went wrong (with the input's bytes).</param>
    public static FuzzResult Run(string target, ulong seed, long inputs, TimeSpan budget, Func<Random, Func<long, string?>> createWorker)
    {
        var workers = Math.Max(2, Environment.ProcessorCount);
        var problems = new ConcurrentQueue<string>();
        long done = 0, cpuTicks = 0;
        var clock = Stopwatch.StartNew();
        var threads = new Thread[workers];
        for (var w = 0; w < workers; w++)
        {
            var index = w;
            threads[w] = new Thread(() =>
            {
                var step = createWorker(new Random(unchecked((int)seed ^ (int)(seed >> 32) ^ (index * 7919))));
                long count = 0;
                for (long i = index; i < inputs; i += workers)
                {
                    if ((count & 255) == 0 && (clock.Elapsed > budget || problems.Count >= 20)) break;
                    string? problem;
                    try
                    {
                        problem = step(i);
                    }
#pragma warning disable CA1031 // a target's own failure is a finding, reported with the rest
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        problem = $"the target itself threw {ex}";
                    }

                    if (problem is not null) problems.Enqueue($"input {i}: {problem}");
                    count++;
                }

                Interlocked.Add(ref done, count);
                Interlocked.Add(ref cpuTicks, ThreadCpu.Current().Ticks);
            }, 16 * 1024 * 1024) { IsBackground = true, Name = "fuzz " + target + " " + index };
            threads[w].Start();
        }

        foreach (var t in threads) t.Join();
        return new FuzzResult(target, seed, workers, done, clock.Elapsed, TimeSpan.FromTicks(cpuTicks), problems.Take(20).ToList());
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}

/// <summary>The checks every fuzz test ends with.</summary>
public static class FuzzAssert
{
    /// <summary>Logs the run's figures, then fails on any problem (with the seed) or on fewer than <paramref name="minimum"/> inputs.</summary>
    public static void Clean(FuzzResult result, long minimum, TimeSpan budget, Action<string> log)
    {
        log(result.ToString());
        Xunit.Assert.True(result.Problems.Count == 0, $"seed {result.Seed}:\n" + string.Join("\n", result.Problems));
        Xunit.Assert.True(result.Inputs >= minimum, $"only {result.Inputs:N0} inputs within {budget} (at least {minimum:N0} expected)");
    }
}
