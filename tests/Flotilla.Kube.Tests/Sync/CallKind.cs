namespace Flotilla.Kube.Tests.Sync;

/// <summary>What the executor asked of the fake member (<see cref="RecordedCall"/>).</summary>
internal enum CallKind { ReadInventory, WriteInventory, DeleteInventory, DryRun, Apply, Delete, Get, RestartEstablishing }
