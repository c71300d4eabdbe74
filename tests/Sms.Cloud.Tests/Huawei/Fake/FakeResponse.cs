using System.Text.Json.Nodes;

namespace Sms.Cloud.Tests.Huawei.Fake;

/// <summary>What a route answers.</summary>
internal sealed record FakeResponse(int Status, JsonNode? Body)
{
    public static FakeResponse Ok(JsonNode body) => new(200, body);

    public static FakeResponse Accepted(JsonNode body) => new(202, body);

    public static FakeResponse NoContent() => new(204, null);

    /// <summary>The ECS/EVS shape <c>{"error": {"code", "message"}}</c>.</summary>
    public static FakeResponse Error(int status, string code, string message) =>
        new(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    /// <summary>The gateway/VPC shape <c>{"error_code", "error_msg"}</c>.</summary>
    public static FakeResponse GatewayError(int status, string code, string message) =>
        new(status, new JsonObject { ["error_code"] = code, ["error_msg"] = message });

    public static FakeResponse NotFound(string what) => Error(404, "Common.0404", $"{what} could not be found.");
}
