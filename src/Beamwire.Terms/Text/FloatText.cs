using System.Globalization;
using System.Text;

namespace Beamwire.Terms.Text;

/// <summary>
/// Floats as Erlang's <c>~p</c> prints them (io_lib_format:fwrite_g/1): the shortest digits that
/// read back, in positional form unless scientific notation is shorter, and always scientific from
/// 2^53 up (where adding 1 may no longer change the value).
/// </summary>
internal static class FloatText
{
    private const double TwoPow53 = 9007199254740992.0;

    public static string Format(double value)
    {
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        var (digits, place) = ShortestDigits(Math.Abs(value));
        string body = InsertDecimal(place, digits, Math.Abs(value));
        return value < 0 ? "-" + body : body;
    }

    /// <summary>The shortest round-trip digits (no leading or trailing zeros) and the place of the decimal point: value = 0.DIGITS × 10^place.</summary>
    private static (string Digits, int Place) ShortestDigits(double positive)
    {
        string r = positive.ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOf('E', StringComparison.Ordinal);
        int exponent = e < 0 ? 0 : int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string mantissa = e < 0 ? r : r[..e];
        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        string all = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        int place = (dot < 0 ? mantissa.Length : dot) + exponent;
        int lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0') lead++;
        place -= lead;
        string digits = all[lead..].TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, place);
    }

    private static string InsertDecimal(int place, string s, double positive)
    {
        if (place == 0) return "0." + s;
        int length = s.Length;
        if (place > 0 && place < length) return s[..place] + "." + s[place..];
        string expText = (place - 1).ToString(CultureInfo.InvariantCulture);
        int expDot = length == 1 ? 2 : 1;
        int expCost = expText.Length + 1 + expDot;
        if (place < 0)
        {
            return 2 - place <= expCost ? "0." + new string('0', -place) + s : Scientific(expText, s);
        }

        return place - length + 2 <= expCost && positive < TwoPow53
            ? s + new string('0', place - length) + ".0"
            : Scientific(expText, s);
    }

    private static string Scientific(string expText, string s)
    {
        var sb = new StringBuilder(s.Length + expText.Length + 4);
        sb.Append(s[0]).Append('.');
        sb.Append(s.Length == 1 ? "0" : s.AsSpan(1));
        return sb.Append('e').Append(expText).ToString();
    }
}
