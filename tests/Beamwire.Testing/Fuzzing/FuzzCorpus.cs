using System.Globalization;
using System.Text;

namespace Beamwire.Testing.Fuzzing;

/// <summary>One captured input: where it came from (release, peer, what it is) and its bytes.</summary>
public sealed record CorpusEntry(string Release, string Label, byte[] Bytes)
{
    public override string ToString() => $"{Release} {Label} ({Bytes.Length} bytes)";
}

/// <summary>
/// The committed seed corpus of a fuzz target: a text file of <c>release label hex</c> lines (comments
/// start with <c>#</c>), small enough to review, diffable, written by the capture tests from real peers.
/// </summary>
public static class FuzzCorpus
{
    /// <summary>The corpus folder of a test project: <c>Fuzzing/Corpus</c> beside the test's sources (copied to the output).</summary>
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Fuzzing", "Corpus", file);

    /// <param name="allowEmpty">True for a file that may hold no entries yet (the regression cases).</param>
    public static IReadOnlyList<CorpusEntry> Read(string path, bool allowEmpty = false)
    {
        var entries = new List<CorpusEntry>();
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3) throw new FormatException($"{path}: expected 'release label hex', got '{line[..Math.Min(line.Length, 80)]}'");
            entries.Add(new CorpusEntry(parts[0], parts[1], Convert.FromHexString(parts[2])));
        }

        if (entries.Count == 0 && !allowEmpty) throw new InvalidDataException($"{path} holds no entries.");
        return entries;
    }

    /// <summary>Replaces the entries of <paramref name="release"/> in the corpus file (in the source tree) with <paramref name="entries"/>.</summary>
    public static void Write(string sourcePath, string header, string release, IEnumerable<CorpusEntry> entries)
    {
        var kept = File.Exists(sourcePath) ? Read(sourcePath).Where(e => e.Release != release).ToList() : [];
        kept.AddRange(entries);
        var sb = new StringBuilder();
        foreach (var line in header.Split('\n')) sb.Append("# ").Append(line).Append('\n');
        foreach (var e in kept.OrderBy(e => e.Release, StringComparer.Ordinal))
            sb.Append(e.Release).Append(' ').Append(e.Label).Append(' ').Append(Convert.ToHexString(e.Bytes)).Append('\n');
        File.WriteAllText(sourcePath, sb.ToString());
    }

    /// <summary>The source-tree path of a corpus file when the capture is asked to write one (BEAMWIRE_FUZZ_CORPUS_WRITE=1), else null.</summary>
    public static string? WriteTarget(string projectDir, string file)
    {
        if (Environment.GetEnvironmentVariable("BEAMWIRE_FUZZ_CORPUS_WRITE") != "1") return null;
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Beamwire.sln"))) dir = Path.GetDirectoryName(dir);
        if (dir is null) throw new DirectoryNotFoundException("Beamwire.sln not found above " + AppContext.BaseDirectory);
        return Path.Combine(dir, "tests", projectDir, "Fuzzing", "Corpus", file);
    }

    public static string ReleaseName(OtpRelease release) => "otp" + ((int)release).ToString(CultureInfo.InvariantCulture);
}
