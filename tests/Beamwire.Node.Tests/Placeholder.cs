namespace Beamwire.Node.Tests;
