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

    /// <summary>UTF-8 text whose characters are all printable in the unicode range.</summary>
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

        foreach (var r in text.EnumerateRunes())
            if (!IsPrintableUnicode(r.Value)) return false;
        return true;
    }

    public static bool IsPrintableUnicode(int c) =>
        IsPrintableChar(c) || c is >= 0x100 and < 0xD800 or > 0xDFFF and < 0xFFFE or > 0xFFFF and <= 0x10FFFF;
}
