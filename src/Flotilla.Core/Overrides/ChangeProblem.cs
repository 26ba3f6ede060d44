namespace Flotilla.Core.Overrides;

/// <summary>Why one change could not be made to one object: the code, the JSON Pointer at fault and a message without field values.</summary>
internal sealed record ChangeProblem(OverrideErrorCode Code, string Path, string Message)
{
    public static ChangeProblem NotFound(string path) => new(OverrideErrorCode.PathNotFound, path, $"path {Quote(path)} does not exist");

    public static ChangeProblem WrongType(string path, string expected) => new(OverrideErrorCode.WrongType, path, $"{Quote(path)} is not {expected}");

    private static string Quote(string path) => $"\"{path}\"";
}
