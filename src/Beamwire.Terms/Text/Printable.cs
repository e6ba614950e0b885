using System.Text;

namespace Beamwire.Terms.Text;

/// <summary>Which lists and binaries print as strings (io_lib's printable_list with the default latin1 range).</summary>
internal static class Printable
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static bool IsPrintableChar(int c) =>
        c is >= 32 and <= 126 or >= 160 and <= 255 || c is '\n' or '\r' or '\t' or '\v' or '\b' or '\f' or 27;

    public static bool IsPrintableLatin1List(ReadOnlySpan<ErlangTerm> elements)
    {
        if (elements.IsEmpty) return false;
        foreach (var e in elements)
            if (e is not ErlangInteger i || i.Value > 255 || !IsPrintableChar((int)i.Value)) return false;
        return true;
    }

    public static bool IsPrintableLatin1(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
            if (!IsPrintableChar(b)) return false;
        return true;
    }

    /// <summary>
    /// UTF-8 text with at least one non-ASCII character, all printable in the latin1 range (the default
    /// <c>io:printable_range()</c>): what <c>~tp</c> prints as <c>&lt;&lt;"..."/utf8&gt;&gt;</c>.
    /// </summary>
    public static bool TryGetPrintableUtf8(ReadOnlySpan<byte> bytes, out string text)
    {
        text = "";
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        bool wide = false;
        foreach (char c in text)
        {
            if (c > 0xFF || !IsPrintableChar(c)) return false;
            wide |= c >= 0x80;
        }

        return wide;
    }
}
