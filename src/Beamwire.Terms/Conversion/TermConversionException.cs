namespace Beamwire.Terms;

/// <summary>A term has no unambiguous .NET value of the requested type, or a .NET value has no unambiguous term.</summary>
public sealed class TermConversionException : InvalidCastException
{
    public TermConversionException()
    {
    }

    public TermConversionException(string message)
        : base(message)
    {
    }

    public TermConversionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
