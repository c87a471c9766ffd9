using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Ils;

/// <summary>
/// Sends SIP2 messages over a small pool of connections (one pool per app instance, at most
/// <see cref="Sip2Options.MaxConnections"/> open). A new connection logs in (93/94) and asks the
/// server's status (99/98) before its first message, so a reconnection after a drop starts the same
/// way. A message gets <see cref="Sip2Options.Retries"/> further attempts: after a wrong checksum the
/// server is asked to send its answer again (97) on the same connection; after a timeout, a dropped
/// connection or a garbled answer, the message goes again on a fresh connection. Every exchange is
/// logged with the passwords and the PIN masked.
/// </summary>
internal sealed class Sip2Client : IAsyncDisposable
{
    readonly Sip2Options options;
    readonly ILogger<Sip2Client> logger;
    readonly Encoding encoding;
    readonly SemaphoreSlim slots;
    readonly ConcurrentBag<Sip2Connection> idle = [];

    public Sip2Client(IOptions<Sip2Options> options, ILogger<Sip2Client> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        encoding = EncodingOf(this.options.Encoding);
        slots = new SemaphoreSlim(Math.Max(1, this.options.MaxConnections));
    }

    /// <summary>The wire encoding by name; the code-page provider makes windows-1252 and friends available.</summary>
    public static Encoding EncodingOf(string name)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(name);
    }

    /// <summary>Sends <paramref name="request"/> and returns the answer of code <paramref name="expected"/>.</summary>
    public async Task<Sip2Message> SendAsync(Sip2Message request, string expected, CancellationToken ct)
    {
        await slots.WaitAsync(ct);
        try
        {
            Exception? last = null;
            Sip2Connection? connection = null;
            var resend = false;
            for (var attempt = 0; attempt <= options.Retries; attempt++)
            {
                try
                {
                    if (connection is null)
                        connection = idle.TryTake(out var pooled) ? pooled : await OpenAsync(ct);
                    var answer = resend
                        ? await ExchangeAsync(connection, RequestResend, expected, keepSequence: true, ct)
                        : await ExchangeAsync(connection, request, expected, keepSequence: false, ct);
                    idle.Add(connection);
                    return answer;
                }
                catch (Exception e) when (IsTransient(e, ct))
                {
                    last = e;
                    resend = e is Sip2ChecksumException && connection is not null;
                    logger.LogWarning("SIP2 {Code}: attempt {Attempt} of {Attempts} failed: {Reason}",
                        request.Code, attempt + 1, options.Retries + 1, Describe(e));
                    if (!resend && connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }
                catch
                {
                    if (connection is not null) await connection.DisposeAsync();
                    throw;
                }
            }
            if (connection is not null) await connection.DisposeAsync();
            throw new IlsUnavailableException($"Le système de la bibliothèque ne répond pas ({Describe(last!)}).", last);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>"Request ACS resend" (97): the trailer without a sequence number.</summary>
    static readonly Sip2Message RequestResend = new("97", "", []);

    static bool IsTransient(Exception e, CancellationToken ct) =>
        e is IOException or SocketException or TimeoutException or Sip2ProtocolException
        || (e is OperationCanceledException && !ct.IsCancellationRequested);

    static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "délai dépassé",
        TimeoutException => "délai dépassé",
        Sip2ChecksumException => "somme de contrôle erronée : " + e.Message,
        Sip2ProtocolException => "réponse illisible : " + e.Message,
        _ => "connexion perdue : " + e.Message,
    };

    async Task<Sip2Message> ExchangeAsync(Sip2Connection connection, Sip2Message request, string expected, bool keepSequence, CancellationToken ct)
    {
        var sequence = keepSequence ? '\0' : connection.NextSequence();
        var wire = request.Code == "97"
            ? "97" + (options.UseChecksums ? "AZ" + Sip2Checksum.Compute(encoding.GetBytes("97AZ")) : "")
            : request.Format(encoding, options.UseChecksums, sequence);
        logger.LogInformation("SIP2 → {Message}", request.ToLogString());
        var raw = await connection.ExchangeAsync(wire, encoding, options, ct);
        Sip2Message answer;
        try
        {
            answer = Sip2Message.Parse(raw, encoding, options.UseChecksums);
        }
        catch (Sip2ProtocolException e)
        {
            logger.LogWarning("SIP2 ← unreadable answer of {Length} bytes: {Reason}", raw.Length, e.Message);
            throw;
        }
        logger.LogInformation("SIP2 ← {Message}", answer.ToLogString());
        if (answer.Code != expected) throw new Sip2ProtocolException($"expected answer {expected}, got {answer.Code}");
        if (options.UseChecksums && !keepSequence && answer.Sequence is { } got && got != sequence)
            throw new Sip2ProtocolException($"answer to message {sequence} carries sequence number {got}");
        return answer;
    }

    async Task<Sip2Connection> OpenAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.Host)) throw new IlsUnavailableException("Sip2:Host n'est pas configuré.");
        Sip2Connection connection;
        try
        {
            connection = await Sip2Connection.OpenAsync(options, ct);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no connection to {options.Host}:{options.Port} within the timeout");
        }
        try
        {
            var login = new Sip2Message("93", "00",
            [
                new("CN", options.Username), new("CO", options.Password), new("CP", options.LocationCode),
            ]);
            var loggedIn = await ExchangeAsync(connection, login, "94", keepSequence: false, ct);
            if (loggedIn.Fixed != "1")
                throw new IlsUnavailableException($"Le système de la bibliothèque refuse la connexion de l'utilisateur SIP2 « {options.Username} ».");
            // SC status: ok (0), print width 80, protocol 2.00.
            var status = await ExchangeAsync(connection, new Sip2Message("99", "0" + "080" + "2.00", []), "98", keepSequence: false, ct);
            if (status.Fixed[0] != 'Y') throw new IlsUnavailableException("Le système de la bibliothèque se dit hors ligne (SC status).");
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (idle.TryTake(out var connection)) await connection.DisposeAsync();
    }
}
