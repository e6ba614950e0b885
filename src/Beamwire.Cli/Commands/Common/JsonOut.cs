using System.Text.Json;

namespace Beamwire.Cli.Commands.Common;

/// <summary>One JSON object on stdout for <c>--json</c> (written by hand: no reflection, so NativeAOT stays warning-free).</summary>
internal static class JsonOut
{
    public static void Write(Action<Utf8JsonWriter> body)
    {
        using var stdout = Console.OpenStandardOutput();
        // Relaxed escaping: node names and messages stay readable (no \u0027 for quotes); still valid JSON.
        using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        stdout.WriteByte((byte)'\n');
    }
}
