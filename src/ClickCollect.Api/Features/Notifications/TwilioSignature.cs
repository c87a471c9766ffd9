using System.Security.Cryptography;
using System.Text;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>
/// X-Twilio-Signature (twilio.com/docs/usage/webhooks/webhooks-security): Base64(HMAC-SHA1(auth token,
/// the full URL Twilio called + every posted parameter sorted by name, name then value)). Checked as
/// Twilio's own SDKs do: against the URL as given, without its port and with the default port, in
/// constant time. Every posted parameter is signed: Twilio adds new ones without notice.
/// </summary>
internal static class TwilioSignature
{
    public static string Compute(string url, IEnumerable<KeyValuePair<string, string>> parameters, string authToken)
    {
        var text = new StringBuilder(url);
        foreach (var name in parameters.GroupBy(p => p.Key).OrderBy(g => g.Key, StringComparer.Ordinal))
            foreach (var value in name.Select(p => p.Value).OrderBy(v => v, StringComparer.Ordinal))
                text.Append(name.Key).Append(value);
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static bool IsValid(string url, IReadOnlyCollection<KeyValuePair<string, string>> parameters, string authToken, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(authToken)) return false;
        var given = Encoding.ASCII.GetBytes(signature);
        var valid = false;
        foreach (var candidate in Variants(url).Distinct(StringComparer.Ordinal))
            valid |= CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(candidate, parameters, authToken)), given);
        return valid;
    }

    /// <summary>The URL as given, without its port, and with the scheme's default port written out.</summary>
    static IEnumerable<string> Variants(string url)
    {
        yield return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) yield break;
        const UriComponents all = UriComponents.Scheme | UriComponents.UserInfo | UriComponents.Host | UriComponents.PathAndQuery | UriComponents.Fragment;
        yield return uri.GetComponents(all, UriFormat.UriEscaped);
        yield return uri.GetComponents(all | UriComponents.StrongPort, UriFormat.UriEscaped);
    }
}
