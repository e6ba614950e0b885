using System.Globalization;

namespace Beamwire.Terms.Text;

/// <summary>Floats as Erlang prints them: the shortest text that reads back (<c>float_to_list(F, [short])</c>).</summary>
internal static class FloatText
{
    public static string Format(double value)
    {
        // "R" gives the shortest round-trip digits; Erlang always has a ".digit" before any exponent.
        string r = value.ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOfAny(['E', 'e']);
        string mantissa = e < 0 ? r : r[..e];
        string exponent = e < 0 ? "" : "e" + int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        if (!mantissa.Contains('.', StringComparison.Ordinal)) mantissa += ".0";
        return mantissa + exponent;
    }
}
