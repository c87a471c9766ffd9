using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace ClickCollect.Api.Features.Ils;

/// <summary>
/// One TCP (optionally TLS) connection to the SIP2 server: writes a message with its terminator and
/// reads the answer up to the next carriage return (a line feed after it, which some servers send, is
/// skipped). Each read and write is bounded by the timeout; after a timeout the connection is
/// useless (a late answer would be taken for the next one) and the caller disposes of it.
/// </summary>
internal sealed class Sip2Connection : IAsyncDisposable
{
    const int MaxMessageBytes = 64 * 1024;

    readonly TcpClient tcp;
    readonly Stream stream;
    readonly byte[] buffer = new byte[4096];
    int start, end;
    int sequence;

    Sip2Connection(TcpClient tcp, Stream stream)
    {
        this.tcp = tcp;
        this.stream = stream;
    }

    /// <summary>The next sequence number, 0 to 9 and round again.</summary>
    public char NextSequence() => (char)('0' + (sequence++ % 10));

    public static async Task<Sip2Connection> OpenAsync(Sip2Options options, CancellationToken ct)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = Timeout(options, ct);
            await tcp.ConnectAsync(options.Host, options.Port, timeout.Token);
            Stream stream = tcp.GetStream();
            if (options.UseTls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = options.Host }, timeout.Token);
                stream = tls;
            }
            return new Sip2Connection(tcp, stream);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    public async Task<byte[]> ExchangeAsync(string message, Encoding encoding, Sip2Options options, CancellationToken ct)
    {
        using var timeout = Timeout(options, ct);
        try
        {
            await stream.WriteAsync(encoding.GetBytes(message + "\r"), timeout.Token);
            await stream.FlushAsync(timeout.Token);
            return await ReadMessageAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer within {options.Timeout.TotalSeconds:0.###} s");
        }
    }

    async Task<byte[]> ReadMessageAsync(CancellationToken ct)
    {
        var message = new MemoryStream();
        while (true)
        {
            if (start == end)
            {
                start = 0;
                end = await stream.ReadAsync(buffer, ct);
                if (end == 0) throw new IOException(message.Length == 0 ? "the server closed the connection" : "the connection dropped in the middle of an answer");
            }
            // A line feed right after the previous terminator belongs to it.
            if (message.Length == 0 && buffer[start] == (byte)'\n') { start++; continue; }
            var cr = Array.IndexOf(buffer, (byte)'\r', start, end - start);
            var stop = cr < 0 ? end : cr;
            message.Write(buffer, start, stop - start);
            if (message.Length > MaxMessageBytes) throw new Sip2ProtocolException("answer longer than 64 KB");
            start = cr < 0 ? end : cr + 1;
            if (cr >= 0) return message.ToArray();
        }
    }

    static CancellationTokenSource Timeout(Sip2Options options, CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(options.Timeout);
        return cts;
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        tcp.Dispose();
    }
}
