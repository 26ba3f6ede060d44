using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flotilla.Core.Rollout;

/// <summary>Source-generated (reflection-free) JSON for <see cref="RolloutState"/>: camelCase, enums by name, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(RolloutState))]
internal sealed partial class RolloutStateJsonContext : JsonSerializerContext;
