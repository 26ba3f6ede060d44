namespace Flotilla.Core.Services;

/// <summary>One port of an exported Service as the import carries it; <see cref="Protocol"/> defaults to TCP.</summary>
public sealed record ServicePort(string Name, string Protocol, int Port, string? AppProtocol)
{
    public override string ToString() => $"{(Name.Length == 0 ? "" : Name + " ")}{Port}/{Protocol}";
}
