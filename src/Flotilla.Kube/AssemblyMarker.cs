namespace Flotilla.Kube;
