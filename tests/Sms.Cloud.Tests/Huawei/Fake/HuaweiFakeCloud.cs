using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sms.Cloud.Huawei.Signing;
using Sms.Cloud.Tests.Huawei.Fixtures;

namespace Sms.Cloud.Tests.Huawei.Fake;

/// <summary>
/// An in-process Kestrel fake of the Huawei ECS, EVS, VPC and IMS endpoints, one loopback port per service. It
/// verifies every request's AK/SK signature (401 otherwise), checks the project id and the content type, keeps an
/// in-memory cloud, walks jobs INIT → RUNNING → SUCCESS/FAIL over successive polls, records every request, and can
/// inject HTTP faults (429/503) and failing jobs.
/// </summary>
internal sealed partial class HuaweiFakeCloud : IAsyncDisposable
{
    public const string ProjectId = "0605767a3300d5762fb7c0186d9e1779";
    public const string AccessKey = "HPUAFAKEACCESSKEY01EXAMPLE";
    public const string SecretKey = "Fake-Secret-Sk-9f3c1e7b2dA41x0QzZ";
    public const string ContentType = "application/json;charset=utf8";

    private static readonly string[] s_services = ["ecs", "evs", "vpc", "ims"];
    private readonly List<FakeRequest> _requests = [];
    private readonly List<FakeFault> _faults = [];
    private readonly Dictionary<string, Queue<(string Code, string Reason)>> _failingJobs = new(StringComparer.Ordinal);
    private readonly List<FakeRoute> _routes = [];
    private readonly Dictionary<int, string> _serviceByPort = [];
    private readonly HuaweiCredentials _credentials;
    private WebApplication? _app;

    private HuaweiFakeCloud(string? securityToken)
    {
        SecurityToken = securityToken;
        _credentials = new HuaweiCredentials(AccessKey, SecretKey, securityToken);
        MapEcs();
        MapEvs();
        MapVpc();
        MapIms();
        MapJobs();
    }

    public string? SecurityToken { get; }

    public FakeCloudState State { get; } = new();

    public Dictionary<string, Uri> Endpoints { get; } = new(StringComparer.Ordinal);

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    public static async Task<HuaweiFakeCloud> StartAsync(string? securityToken = null)
    {
        var fake = new HuaweiFakeCloud(securityToken);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options =>
        {
            foreach (string _ in s_services)
            {
                options.Listen(IPAddress.Loopback, 0);
            }
        });
        WebApplication app = builder.Build();
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake._app = app;

        ICollection<string> addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        int index = 0;
        foreach (string address in addresses)
        {
            var uri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
            string service = s_services[index++];
            fake._serviceByPort[uri.Port] = service;
            fake.Endpoints[service] = new Uri($"http://127.0.0.1:{uri.Port}/");
        }

        return fake;
    }

    public IReadOnlyList<FakeRequest> RequestsTo(string service, string method, string pathPattern) =>
        Requests.Where(r => r.Service == service && r.Method == method && Regex.IsMatch(r.Path, "^" + pathPattern + "$")).ToList();

    /// <summary>Answers the next <paramref name="times"/> matching requests with <paramref name="status"/>, before they reach the cloud.</summary>
    public void InjectFault(string service, string method, string pathPattern, int status, int times, string? body = null)
    {
        lock (_faults)
        {
            _faults.Add(new FakeFault(service, method, new Regex("^" + pathPattern + "$"), status, body ?? (status == 429 ? GatewayFixtures.Throttled : GatewayFixtures.ServiceUnavailable), times, commitFirst: false));
        }
    }

    /// <summary>Lets the next matching requests change the cloud, then loses their answers: the client sees <paramref name="status"/>.</summary>
    public void InjectLostAnswer(string service, string method, string pathPattern, int status, int times)
    {
        lock (_faults)
        {
            _faults.Add(new FakeFault(service, method, new Regex("^" + pathPattern + "$"), status, GatewayFixtures.ServiceUnavailable, times, commitFirst: true));
        }
    }

    /// <summary>Makes the next job of <paramref name="jobType"/> end in FAIL with this code and reason.</summary>
    public void FailNextJob(string jobType, string errorCode, string failReason)
    {
        lock (_failingJobs)
        {
            if (!_failingJobs.TryGetValue(jobType, out var queue))
            {
                _failingJobs[jobType] = queue = new Queue<(string, string)>();
            }

            queue.Enqueue((errorCode, failReason));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        string service = _serviceByPort.TryGetValue(context.Connection.LocalPort, out string? s) ? s : "unknown";
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        byte[] body = buffer.ToArray();
        string rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        int queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        string path = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        string query = queryStart < 0 ? string.Empty : rawTarget[queryStart..];
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

        string? rejection = FakeSignatureVerifier.Verify(context.Request.Method, context.Request.Host.Value ?? string.Empty, rawTarget, headers, body, _credentials, DateTimeOffset.UtcNow);
        var request = new FakeRequest(service, context.Request.Method, path, query, headers, Encoding.UTF8.GetString(body), rejection is null);
        lock (_requests)
        {
            _requests.Add(request);
        }

        FakeResponse response;
        if (rejection is not null)
        {
            response = new FakeResponse(401, JsonNode.Parse(GatewayFixtures.SignatureRejected));
        }
        else if (headers.GetValueOrDefault("X-Project-Id") != ProjectId)
        {
            response = FakeResponse.GatewayError(401, "APIGW.0101", "The X-Project-Id header is missing or wrong.");
        }
        else if (body.Length > 0 && !IsJsonUtf8(headers.GetValueOrDefault("Content-Type")))
        {
            response = FakeResponse.Error(400, "Common.0400", $"Unsupported content type {headers.GetValueOrDefault("Content-Type")}.");
        }
        else
        {
            FakeFault? fault = TakeFault(request);
            if (fault is { CommitFirst: false })
            {
                response = new FakeResponse(fault.Status, JsonNode.Parse(fault.Body));
            }
            else
            {
                response = Route(request);
                if (fault is not null)
                {
                    response = new FakeResponse(fault.Status, JsonNode.Parse(fault.Body));
                }
            }
        }

        context.Response.StatusCode = response.Status;
        context.Response.Headers["X-Request-Id"] = Guid.NewGuid().ToString("N");
        if (response.Status == 429)
        {
            context.Response.Headers.RetryAfter = "0";
        }

        if (response.Body is not null)
        {
            context.Response.ContentType = "application/json;charset=UTF-8";
            await context.Response.WriteAsync(response.Body.ToJsonString(), context.RequestAborted);
        }
    }

    /// <summary>application/json;charset=utf8, with or without the space .NET puts after the <c>;</c>.</summary>
    public static bool IsJsonUtf8(string? contentType) =>
        contentType is not null && contentType.Replace(" ", string.Empty, StringComparison.Ordinal).Equals(ContentType, StringComparison.OrdinalIgnoreCase);

    private FakeFault? TakeFault(FakeRequest request)
    {
        lock (_faults)
        {
            FakeFault? fault = _faults.FirstOrDefault(f => f.Remaining > 0 && f.Service == request.Service && f.Method == request.Method && f.Path.IsMatch(request.Path));
            if (fault is not null)
            {
                fault.Remaining--;
            }

            return fault;
        }
    }

    private FakeResponse Route(FakeRequest request)
    {
        foreach (FakeRoute route in _routes)
        {
            if (route.Service != request.Service || route.Method != request.Method)
            {
                continue;
            }

            Match match = route.Path.Match(request.Path);
            if (!match.Success)
            {
                continue;
            }

            if (match.Groups["project"] is { Success: true } project && project.Value != ProjectId)
            {
                return FakeResponse.GatewayError(403, "APIGW.0106", "The project id in the path does not match the token.");
            }

            var call = new FakeCall(request, match, ParseQuery(request.Query));
            lock (State.Gate)
            {
                return route.Handler(call);
            }
        }

        return FakeResponse.GatewayError(404, "APIGW.0101", $"The API does not exist or has not been published: {request.Method} {request.Path}");
    }

    private void Map(string service, string method, string pathPattern, Func<FakeCall, FakeResponse> handler) =>
        _routes.Add(new FakeRoute(service, method, new Regex("^" + pathPattern.Replace("{project}", "(?<project>[^/]+)", StringComparison.Ordinal) + "$"), handler));

    private (string Code, string Reason)? TakeJobFailure(string jobType)
    {
        lock (_failingJobs)
        {
            return _failingJobs.TryGetValue(jobType, out var queue) && queue.Count > 0 ? queue.Dequeue() : null;
        }
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            result[Uri.UnescapeDataString(kv[0])] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
        }

        return result;
    }

    private sealed record FakeRoute(string Service, string Method, Regex Path, Func<FakeCall, FakeResponse> Handler);

    private sealed class FakeFault(string service, string method, Regex path, int status, string body, int times, bool commitFirst)
    {
        public string Service { get; } = service;
        public string Method { get; } = method;
        public Regex Path { get; } = path;
        public int Status { get; } = status;
        public string Body { get; } = body;
        public int Remaining { get; set; } = times;
        public bool CommitFirst { get; } = commitFirst;
    }
}

/// <summary>A routed request: its path captures, its query and its JSON body.</summary>
internal sealed record FakeCall(FakeRequest Request, Match Match, IReadOnlyDictionary<string, string> Query)
{
    public string this[string group] => Uri.UnescapeDataString(Match.Groups[group].Value);

    public JsonObject Body => Request.Json as JsonObject ?? [];
}
