namespace Flotilla.Git;
