namespace Flotilla.Controllers;
