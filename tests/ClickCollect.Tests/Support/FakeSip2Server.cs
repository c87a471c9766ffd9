using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ClickCollect.Tests.Support;

/// <summary>
/// A SIP2 2.00 server (the "ACS") on 127.0.0.1, written from the specification's message layouts and
/// not from the client's code: it knows a few patrons and items, lends, takes back, and can be told
/// to misbehave (refuse the login, spoil a checksum, garble or withhold an answer, drop the
/// connection halfway through one). Every message it receives is kept for assertions.
/// </summary>
public sealed class FakeSip2Server : IAsyncDisposable
{
    public enum Fault { BadChecksum, Garbled, Silent, DropMidMessage }

    public sealed record Patron(string Card, string Pin, string Name, string Status = "              ",
        string? Email = null, string? Phone = null, string? Message = null);

    public sealed record Item(string Barcode, string Title, string CirculationStatus = "03", string? DueDate = null);

    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();
    readonly List<TcpClient> clients = [];
    readonly Encoding encoding;
    readonly bool errorDetection;

    public FakeSip2Server(string encodingName = "utf-8", bool errorDetection = true)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        encoding = Encoding.GetEncoding(encodingName);
        this.errorDetection = errorDetection;
        listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
    public string Username { get; set; } = "clickcollect";
    public string Password { get; set; } = "sip-secret";
    public bool RefuseLogins { get; set; }

    /// <summary>
    /// The library system is "down": open connections are dropped, new ones are accepted and closed at once.
    /// </summary>
    public bool Down
    {
        get => down;
        set
        {
            down = value;
            if (value) lock (clients) { foreach (var c in clients) c.Dispose(); clients.Clear(); }
        }
    }

    volatile bool down;

    public ConcurrentDictionary<string, Patron> Patrons { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ConcurrentDictionary<string, Item> Items { get; } = new();

    /// <summary>Barcodes refused at checkout, with the screen message (AF) to send.</summary>
    public ConcurrentDictionary<string, string> RefusedCheckouts { get; } = new();

    /// <summary>The due date (AH) of every successful checkout.</summary>
    public string DueDate { get; set; } = "20260415    235900";

    /// <summary>Misbehaviours applied, one each, to the next answers (logins and status answers excepted).</summary>
    public ConcurrentQueue<Fault> Faults { get; } = new();

    /// <summary>Every message received, as decoded text without its terminator.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    public int Logins;

    public IEnumerable<string> ReceivedWithCode(string code) => Received.Where(m => m.StartsWith(code, StringComparison.Ordinal));

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (Exception) { return; }
            if (Down) { client.Dispose(); continue; }
            lock (clients) clients.Add(client);
            _ = ServeAsync(client);
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var pending = new List<byte>();
        var buffer = new byte[1024];
        byte[]? lastAnswer = null;
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, stop.Token);
                if (read == 0) return;
                pending.AddRange(buffer.AsSpan(0, read).ToArray());
                int cr;
                while ((cr = pending.IndexOf((byte)'\r')) >= 0)
                {
                    var raw = pending.Take(cr).ToArray();
                    pending.RemoveRange(0, cr + 1);
                    var text = encoding.GetString(raw);
                    Received.Enqueue(text);
                    if (text.StartsWith("97", StringComparison.Ordinal) && lastAnswer is not null)
                    {
                        await stream.WriteAsync(lastAnswer, stop.Token);
                        continue;
                    }
                    var (answer, isSession) = Answer(text, raw);
                    var bytes = encoding.GetBytes(answer + "\r");
                    if (!isSession && Faults.TryDequeue(out var fault))
                    {
                        switch (fault)
                        {
                            case Fault.Silent:
                                continue;
                            case Fault.DropMidMessage:
                                await stream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), stop.Token);
                                return;
                            case Fault.Garbled:
                                await stream.WriteAsync(encoding.GetBytes(WithTrailer("#garbled#", SequenceOf(text)) + "\r"), stop.Token);
                                lastAnswer = bytes;
                                continue;
                            case Fault.BadChecksum:
                                var spoilt = answer[..^4] + (answer[^4..] == "0000" ? "0001" : "0000");
                                await stream.WriteAsync(encoding.GetBytes(spoilt + "\r"), stop.Token);
                                lastAnswer = bytes;
                                continue;
                        }
                    }
                    lastAnswer = bytes;
                    await stream.WriteAsync(bytes, stop.Token);
                }
            }
        }
        catch (Exception) { }
    }

    // Fixed-part lengths of the requests, from the specification.
    static readonly Dictionary<string, int> RequestFixed = new() { ["93"] = 2, ["99"] = 7, ["63"] = 31, ["11"] = 38, ["09"] = 37, ["17"] = 18 };

    (string Answer, bool Session) Answer(string text, byte[] raw)
    {
        var sequence = SequenceOf(text);
        if (errorDetection && !ChecksumIsRight(raw)) return (WithTrailer("96", null), false);
        var code = text[..2];
        var fields = FieldsOf(text, RequestFixed.GetValueOrDefault(code));
        string F(string id) => fields.GetValueOrDefault(id, "");
        var now = DateTime.UtcNow.ToString("yyyyMMdd'    'HHmmss", CultureInfo.InvariantCulture);
        switch (code)
        {
            case "93":
                Interlocked.Increment(ref Logins);
                var ok = !RefuseLogins && F("CN") == Username && F("CO") == Password;
                return (WithTrailer(ok ? "941" : "940", sequence), true);
            case "99":
                return (WithTrailer($"98YYYNNN030003{now}2.00AO{F("AO")}|AMBibliothèque de test|BXYYYYYYYYYYYYYYYY|", sequence), true);
            case "63":
                var known = Patrons.TryGetValue(F("AA"), out var p);
                var status = known ? p!.Status : "YYYY          ";
                var body = $"64{status}000{now}000000000000000000000000AO{F("AO")}|AA{F("AA")}|AE{(known ? p!.Name : "")}|BL{(known ? "Y" : "N")}|" +
                           $"CQ{(known && p!.Pin == F("AD") ? "Y" : "N")}|";
                if (known && p!.Email is { } email) body += $"BE{email}|";
                if (known && p!.Phone is { } phone) body += $"BF{phone}|";
                if (known && p!.Message is { } message) body += $"AF{message}|";
                return (WithTrailer(body, sequence), false);
            case "11":
                var barcode = F("AB");
                if (RefusedCheckouts.TryGetValue(barcode, out var reason) || !Patrons.ContainsKey(F("AA")))
                    return (WithTrailer($"120NUN{now}AO{F("AO")}|AA{F("AA")}|AB{barcode}|AJ|AH|AF{reason ?? "Lecteur inconnu"}|", sequence), false);
                Items.AddOrUpdate(barcode, b => new Item(b, "", "04", DueDate), (_, i) => i with { CirculationStatus = "04", DueDate = DueDate });
                return (WithTrailer($"121NNY{now}AO{F("AO")}|AA{F("AA")}|AB{barcode}|AJ{Items[barcode].Title}|AH{DueDate}|", sequence), false);
            case "09":
                var back = F("AB");
                var lent = Items.TryGetValue(back, out var item) && item.CirculationStatus == "04";
                if (lent) Items[back] = item! with { CirculationStatus = "03", DueDate = null };
                return (WithTrailer($"10{(lent ? "1" : "0")}YNN{now}AO{F("AO")}|AB{back}|AQ{F("AP")}|AJ{item?.Title}|" +
                                    (lent ? "" : "AFDocument non prêté|"), sequence), false);
            case "17":
                var wanted = F("AB");
                if (!Items.TryGetValue(wanted, out var info))
                    return (WithTrailer($"18010001{now}AB{wanted}|AJ|AFDocument inconnu|", sequence), false);
                return (WithTrailer($"18{info.CirculationStatus}0001{now}AB{wanted}|AJ{info.Title}|" +
                                    (info.DueDate is { } due ? $"AH{due}|" : ""), sequence), false);
            default:
                return (WithTrailer("96", null), false);
        }
    }

    static char? SequenceOf(string text)
    {
        var az = text.LastIndexOf("AZ", StringComparison.Ordinal);
        return az >= 3 && text[(az - 3)..(az - 1)] == "AY" ? text[az - 1] : null;
    }

    static Dictionary<string, string> FieldsOf(string text, int fixedLength)
    {
        var az = text.LastIndexOf("AY", StringComparison.Ordinal);
        var body = az > 2 + fixedLength ? text[..az] : text;
        var fields = new Dictionary<string, string>();
        if (body.Length <= 2 + fixedLength) return fields;
        foreach (var piece in body[(2 + fixedLength)..].Split('|'))
            if (piece.Length >= 2) fields.TryAdd(piece[..2], piece[2..]);
        return fields;
    }

    bool ChecksumIsRight(byte[] raw)
    {
        if (raw.Length < 6 || raw[^6] != (byte)'A' || raw[^5] != (byte)'Z') return false;
        var sum = 0;
        for (var i = 0; i < raw.Length - 4; i++) sum += raw[i];
        var given = int.Parse(Encoding.ASCII.GetString(raw, raw.Length - 4, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return ((sum + given) & 0xFFFF) == 0;
    }

    string WithTrailer(string body, char? sequence)
    {
        if (!errorDetection) return body;
        var text = body + (sequence is { } s ? $"AY{s}" : "") + "AZ";
        var sum = encoding.GetBytes(text).Sum(b => (int)b);
        return text + ((-sum) & 0xFFFF).ToString("X4", CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        lock (clients) foreach (var c in clients) c.Dispose();
        stop.Dispose();
    }
}
