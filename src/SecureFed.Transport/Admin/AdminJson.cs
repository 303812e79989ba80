using System.Text.Json;

namespace SecureFed.Transport.Admin;

/// <summary>JSON settings of the admin API: camelCase names, nulls omitted.</summary>
public static class AdminJson
{
    /// <summary>The serializer options both ends use.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
