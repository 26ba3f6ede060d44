using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Flotilla.Core.Services;

/// <summary>A short hash of an object as Flotilla would write it, kept in an annotation so an unchanged object costs no write.</summary>
public static class ContentHash
{
    public static string Of(JsonObject obj) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(obj.ToJsonString())))[..16].ToLowerInvariant();

    /// <summary>Eight hex characters of <paramref name="text"/>'s hash, for names.</summary>
    public static string Short(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8].ToLowerInvariant();
}
