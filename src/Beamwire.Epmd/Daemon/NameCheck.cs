namespace Beamwire.Epmd.Daemon;

/// <summary>
/// epmd's UTF-8 check for node names: strict UTF-8 (no overlongs, no surrogates, nothing above
/// U+10FFFF), counting code points. NUL is an ordinary character here; callers reject it first.
/// </summary>
internal static class NameCheck
{
    /// <summary>The number of code points, or -1 when <paramref name="bytes"/> is not valid UTF-8.</summary>
    public static int CountCodePoints(ReadOnlySpan<byte> bytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
            return -1;
        var count = 0;
        foreach (var b in bytes)
            if ((b & 0xC0) != 0x80)
                count++;
        return count;
    }
}
