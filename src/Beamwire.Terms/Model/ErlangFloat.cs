namespace Beamwire.Terms;

/// <summary>
/// An Erlang float (NEW_FLOAT_EXT). Erlang has no NaN or infinities, so they are refused.
/// <c>-0.0</c> is kept: it is a distinct term from <c>0.0</c> (as in OTP 27+).
/// </summary>
public sealed class ErlangFloat : ErlangTerm
{
    public ErlangFloat(double value) : base(TermKind.Float)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, "Erlang floats are finite: NaN and infinities have no Erlang form.");
        Value = value;
    }

    public double Value { get; }
}
