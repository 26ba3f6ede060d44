namespace Flotilla.Hub;
