namespace Flotilla.Hub.Api.Auth;

/// <summary>A user the hub's API server authenticated (TokenReview): what a SubjectAccessReview asks about.</summary>
public sealed record Caller(string User, string? Uid, IReadOnlyList<string> Groups);
