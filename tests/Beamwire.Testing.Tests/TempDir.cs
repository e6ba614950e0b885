namespace Beamwire.Testing.Tests;

/// <summary>A fresh folder under /tmp, removed on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("beamwire-test-").FullName;

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
