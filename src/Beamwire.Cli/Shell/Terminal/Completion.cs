using Beamwire.Cli.Shell.Eval;

namespace Beamwire.Cli.Shell.Terminal;

/// <summary>
/// Tab completion: the word before the cursor is completed from the shell's commands
/// (<c>Node.list()</c>, <c>:net_adm.ping(</c>, <c>nodes().</c> ...), from node names the shell knows
/// (connected nodes, epmd's names on this host) as <c>:"n@h"</c> or <c>'n@h'</c>, and from bound variables.
/// </summary>
internal sealed class Completion(Func<IReadOnlyList<string>> nodeNames, Func<IEnumerable<string>> variables)
{
    private static readonly char[] Delimiters = [' ', '(', ',', '[', '{', '=', '!', '\t'];

    /// <summary>Where the word being completed starts, and the candidates that extend it.</summary>
    public (int Start, IReadOnlyList<string> Candidates) Complete(string line, int cursor)
    {
        var start = line.LastIndexOfAny(Delimiters, Math.Max(0, cursor - 1)) + 1;
        if (cursor == 0) start = 0;
        var word = line[start..cursor];
        var candidates = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in Builtins.Completions)
            if (c.StartsWith(word, StringComparison.Ordinal)) candidates.Add(c);
        foreach (var n in nodeNames())
        {
            foreach (var form in new[] { $":\"{n}\"", $"'{n}'", n })
                if (word.Length > 0 && form.StartsWith(word, StringComparison.Ordinal) && form != word) candidates.Add(form);
        }

        foreach (var v in variables())
            if (word.Length > 0 && v.StartsWith(word, StringComparison.Ordinal) && v != word) candidates.Add(v);
        return (start, candidates.ToList());
    }

    public static string CommonPrefix(IReadOnlyList<string> items)
    {
        if (items.Count == 0) return "";
        var prefix = items[0];
        foreach (var s in items)
        {
            var n = 0;
            while (n < prefix.Length && n < s.Length && prefix[n] == s[n]) n++;
            prefix = prefix[..n];
        }

        return prefix;
    }
}
