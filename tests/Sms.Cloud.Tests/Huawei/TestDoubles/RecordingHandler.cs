using System.Net;

namespace Sms.Cloud.Tests.Huawei.TestDoubles;

/// <summary>
/// Server-side test double: records what would go on the wire (method, URI, headers, body bytes)
/// and answers 200 OK. It stands in for the remote endpoint only.
/// </summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    public List<RecordedRequest> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Requests.Add(Record(request, body));
        return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = [];
        if (request.Content is not null)
        {
            using var buffer = new MemoryStream();
            request.Content.CopyTo(buffer, null, cancellationToken);
            body = buffer.ToArray();
        }

        Requests.Add(Record(request, body));
        return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
    }

    private static RecordedRequest Record(HttpRequestMessage request, byte[] body)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers.NonValidated)
        {
            headers[header.Key] = header.Value.ToString();
        }

        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers.NonValidated)
            {
                headers[header.Key] = header.Value.ToString();
            }
        }

        return new RecordedRequest(request.Method.Method, request.RequestUri!, headers, body);
    }
}

internal sealed record RecordedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body);
