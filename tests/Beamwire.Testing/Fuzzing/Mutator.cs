using System.Buffers.Binary;

namespace Beamwire.Testing.Fuzzing;

/// <summary>
/// Byte-level mutations of captured inputs, the kind that find decoder faults: flipped bits, boundary
/// bytes, length fields gone wild (0xFFFF..., 0, 1), truncation, inserted and deleted bytes, splices of
/// other inputs and the target's own tokens (tags, keywords). Deterministic for a given <see cref="Random"/>.
/// </summary>
public sealed class Mutator(Random rng, IReadOnlyList<byte[]> seeds, IReadOnlyList<byte[]> tokens)
{
    private static readonly byte[] Interesting = [0, 1, 2, 0x7F, 0x80, 0xFE, 0xFF, 4, 8, 16, 32, 64, 100, 131, 255];

    public Random Random => rng;

    public byte[] PickSeed() => seeds[rng.Next(seeds.Count)];

    /// <summary>Copies <paramref name="source"/> into <paramref name="buffer"/>, applies 1–4 edits from <paramref name="from"/> on, and returns the new length.</summary>
    public int Mutate(ReadOnlySpan<byte> source, byte[] buffer, int from = 0)
    {
        var length = Math.Min(source.Length, buffer.Length);
        source[..length].CopyTo(buffer);
        var edits = 1 + rng.Next(4);
        for (var e = 0; e < edits; e++)
            length = Edit(buffer, length, Math.Min(from, length));
        return length;
    }

    /// <summary>Random bytes: most decoders refuse them at once, a few get past the first check.</summary>
    public int Noise(byte[] buffer, int max)
    {
        var n = rng.Next(0, Math.Min(max, buffer.Length) + 1);
        rng.NextBytes(buffer.AsSpan(0, n));
        return n;
    }

    private int Edit(byte[] buffer, int length, int from)
    {
        if (length <= from)
        {
            if (length < buffer.Length) buffer[length++] = Interesting[rng.Next(Interesting.Length)];
            return length;
        }

        var at = from + rng.Next(length - from);
        switch (rng.Next(11))
        {
            case 0: buffer[at] ^= (byte)(1 << rng.Next(8)); break;
            case 1: buffer[at] = Interesting[rng.Next(Interesting.Length)]; break;
            case 2: buffer[at] = (byte)rng.Next(256); break;
            case 3: return at; // truncate
            case 4:
                // A length field gone wild: 2 or 4 bytes of 0xFF, zero, or a small value.
                var width = rng.Next(2) == 0 ? 2 : 4;
                if (at + width > length) break;
                var span = buffer.AsSpan(at, width);
                switch (rng.Next(4))
                {
                    case 0: span.Fill(0xFF); break;
                    case 1: span.Clear(); break;
                    case 2: if (width == 2) BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)rng.Next(0, 300)); else BinaryPrimitives.WriteUInt32BigEndian(span, (uint)rng.Next(0, 70000)); break;
                    default: if (width == 2) BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)(BinaryPrimitives.ReadUInt16BigEndian(span) + rng.Next(-2, 3))); else BinaryPrimitives.WriteUInt32BigEndian(span, (uint)(BinaryPrimitives.ReadUInt32BigEndian(span) + rng.Next(-2, 3))); break;
                }

                break;
            case 5:
                if (length < buffer.Length)
                {
                    Array.Copy(buffer, at, buffer, at + 1, length - at);
                    buffer[at] = Interesting[rng.Next(Interesting.Length)];
                    length++;
                }

                break;
            case 6:
                Array.Copy(buffer, at + 1, buffer, at, length - at - 1);
                length--;
                break;
            case 7:
            {
                // Splice in the tail of another input.
                var other = PickSeed();
                if (other.Length == 0) break;
                var start = rng.Next(other.Length);
                var n = Math.Min(other.Length - start, buffer.Length - at);
                Array.Copy(other, start, buffer, at, n);
                length = at + n;
                break;
            }

            case 8:
            {
                // Overwrite or insert one of the target's tokens.
                if (tokens.Count == 0) break;
                var token = tokens[rng.Next(tokens.Count)];
                var insert = rng.Next(2) == 0;
                var n = Math.Min(token.Length, insert ? buffer.Length - length : buffer.Length - at);
                if (n <= 0) break;
                if (insert)
                {
                    Array.Copy(buffer, at, buffer, at + n, length - at);
                    length += n;
                }

                token.AsSpan(0, n).CopyTo(buffer.AsSpan(at));
                length = Math.Max(length, at + n);
                break;
            }

            case 9:
            {
                // Repeat a chunk (a field, an element) right after itself.
                var n = Math.Min(1 + rng.Next(16), Math.Min(length - at, buffer.Length - length));
                if (n <= 0) break;
                Array.Copy(buffer, at, buffer, at + n, length - at);
                length += n;
                break;
            }

            default:
                // Change a byte by a small amount (counts, tags next to each other).
                buffer[at] = (byte)(buffer[at] + rng.Next(-3, 4));
                break;
        }

        return length;
    }
}
