using Microsoft.AspNetCore.Identity;

namespace ClickCollect.Api.Infrastructure.Auth;

/// <summary>ASP.NET Core Identity's password hasher (PBKDF2), for staff passwords and patron PINs alike.</summary>
internal sealed class PasswordHashing
{
    readonly PasswordHasher<object> hasher = new();
    static readonly object Nobody = new();

    public string Hash(string secret) => hasher.HashPassword(Nobody, secret);

    public bool Verify(string hash, string secret) =>
        hasher.VerifyHashedPassword(Nobody, hash, secret) != PasswordVerificationResult.Failed;
}
