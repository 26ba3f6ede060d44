namespace Flotilla.Core;
