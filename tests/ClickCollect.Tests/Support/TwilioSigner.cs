using System.Security.Cryptography;
using System.Text;

namespace ClickCollect.Tests.Support;

/// <summary>
/// Twilio's side of X-Twilio-Signature, for tests that post webhooks as Twilio would: Base64(HMAC-SHA1(auth
/// token, the URL + every parameter sorted by name, then value, as name + value)). The app checks with the
/// SDK's RequestValidator; <c>TwilioSignatureTests</c> holds this signer to Twilio's published vectors.
/// </summary>
public static class TwilioSigner
{
    public static string Sign(string url, IEnumerable<KeyValuePair<string, string>> parameters, string authToken)
    {
        var text = new StringBuilder(url);
        foreach (var name in parameters.GroupBy(p => p.Key).OrderBy(g => g.Key, StringComparer.Ordinal))
            foreach (var value in name.Select(p => p.Value).Order(StringComparer.Ordinal))
                text.Append(name.Key).Append(value);
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(text.ToString())));
    }
}
