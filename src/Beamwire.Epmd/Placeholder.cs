namespace Beamwire.Epmd;
