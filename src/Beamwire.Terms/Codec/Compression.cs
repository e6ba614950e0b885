using System.Buffers;
using System.IO.Compression;

namespace Beamwire.Terms.Codec;

/// <summary>zlib for COMPRESSED terms (tag 80).</summary>
internal static class Compression
{
    /// <summary>
    /// Inflates <paramref name="compressed"/>, which must give exactly <paramref name="size"/> bytes.
    /// The buffer grows with the output actually produced (never to the claimed size up front), so
    /// a small input claiming a huge size costs nothing. Returns an <see cref="ArrayPool{T}"/> array.
    /// </summary>
    public static byte[] Inflate(ReadOnlySpan<byte> compressed, int size, int offset)
    {
        byte[] input = ArrayPool<byte>.Shared.Rent(Math.Max(compressed.Length, 1));
        compressed.CopyTo(input);
        byte[] output = ArrayPool<byte>.Shared.Rent(Math.Min(size, Math.Max(4096, compressed.Length * 4)) + 1);
        try
        {
            using var source = new MemoryStream(input, 0, compressed.Length, writable: false);
            using var zlib = new ZLibStream(source, CompressionMode.Decompress);
            int total = 0;
            while (true)
            {
                if (total == output.Length)
                {
                    // Only reached when the output really is this long; growth stops one byte past size.
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)size + 1, (long)output.Length * 2));
                    output.AsSpan(0, total).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(output);
                    output = bigger;
                }

                int n = zlib.Read(output, total, Math.Min(output.Length, size + 1) - total);
                if (n == 0) break;
                total += n;
                if (total > size)
                    throw new TermDecodeException($"A compressed term inflates to more than its declared {size} bytes", offset);
            }

            if (total != size)
                throw new TermDecodeException($"A compressed term inflates to {total} bytes, not its declared {size}", offset);
            return output;
        }
        // zlib errors that .NET has no InvalidDataException for (a stream that asks for a preset dictionary
        // gives Z_NEED_DICT) come as its internal ZLibException, an IOException: just as invalid.
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            ArrayPool<byte>.Shared.Return(output);
            throw new TermDecodeException("The compressed data is not valid zlib: " + e.Message, offset, e);
        }
        catch (TermDecodeException)
        {
            ArrayPool<byte>.Shared.Return(output);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    /// <summary>zlib-compresses <paramref name="data"/> at the given level (0..9, as <c>term_to_binary(T, [{compressed, L}])</c>).</summary>
    public static byte[] Deflate(ReadOnlySpan<byte> data, int level)
    {
        var compressionLevel = level switch
        {
            0 => CompressionLevel.NoCompression,
            <= 5 => CompressionLevel.Fastest,
            <= 8 => CompressionLevel.Optimal,
            _ => CompressionLevel.SmallestSize,
        };
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, compressionLevel, leaveOpen: true))
            zlib.Write(data);
        return buffer.ToArray();
    }
}
