namespace Beamwire.Node;
