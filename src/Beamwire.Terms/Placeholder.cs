namespace Beamwire.Terms;
