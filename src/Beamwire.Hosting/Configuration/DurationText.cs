using System.Globalization;

namespace Beamwire.Hosting.Configuration;

/// <summary>
/// Durations in configuration: .NET's <c>[d.]hh:mm:ss[.fff]</c> as the binder reads them, or a number with
/// a unit (<c>60s</c>, <c>500ms</c>, <c>100us</c>, <c>5m</c>, <c>1h</c>), the way people write them in
/// environment variables and compose files.
/// </summary>
internal static class DurationText
{
    public static TimeSpan? TryParse(string text)
    {
        if (text.Contains(':', StringComparison.Ordinal))
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : null;
        var split = 0;
        while (split < text.Length && (char.IsAsciiDigit(text[split]) || text[split] == '.')) split++;
        if (split == 0 || !double.TryParse(text.AsSpan(0, split), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return null;
        double? micros = text[split..] switch
        {
            "us" or "µs" => value,
            "ms" => value * 1_000,
            "s" => value * 1_000_000,
            "m" => value * 60_000_000,
            "h" => value * 3_600_000_000,
            _ => null,
        };
        return micros is { } m && m <= TimeSpan.MaxValue.TotalMicroseconds ? TimeSpan.FromMicroseconds(m) : null;
    }
}
