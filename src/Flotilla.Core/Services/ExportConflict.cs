namespace Flotilla.Core.Services;

/// <summary>Why an export's properties lost to an older export's (reason: TypeConflict, PortConflict, SessionAffinityConflict, IPFamilyConflict).</summary>
public sealed record ExportConflict(string Reason, string Message);
