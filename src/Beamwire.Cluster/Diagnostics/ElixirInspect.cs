using System.Globalization;
using System.Text;

namespace Beamwire.Cluster.Diagnostics;

/// <summary>
/// A node name as Elixir's <c>inspect/1</c> prints its atom, so our log lines are libcluster's byte
/// for byte: <c>:node1@node1</c> without quotes (letters, digits, <c>_</c> and <c>@</c>, starting
/// with a letter or <c>_</c>, optionally ending in <c>?</c> or <c>!</c>), <c>:"a@127.0.0.1"</c> otherwise.
/// </summary>
internal static class ElixirInspect
{
    public static string Atom(string name)
    {
        if (IsPlainAtom(name)) return ":" + name;
        var sb = new StringBuilder(name.Length + 3).Append(":\"");
        foreach (var c in name)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) sb.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    private static bool IsPlainAtom(string s)
    {
        if (s.Length == 0) return false;
        if (!(char.IsLetter(s[0]) || s[0] == '_')) return false;
        var end = s.Length;
        if (s[end - 1] is '?' or '!') end--;
        for (var i = 1; i < end; i++)
        {
            var c = s[i];
            if (!(char.IsLetterOrDigit(c) || c == '_' || c == '@')) return false;
        }

        return true;
    }
}
