namespace ClickCollect.Api.Infrastructure.Auth;

/// <summary>Who may call what. Every /api route names one of these policies or allows anonymous calls.</summary>
internal static class Roles
{
    public const string Counter = "counter";
    public const string Librarian = "librarian";
    public const string Director = "director";
    public const string Patron = "patron";

    public static readonly string[] Staff = [Counter, Librarian, Director];

    public static bool IsStaffRole(string role) => Staff.Contains(role);
}

internal static class Policies
{
    /// <summary>Any signed-in staff member.</summary>
    public const string Staff = "staff";
    /// <summary>Librarians and directors (selections, catalogue work).</summary>
    public const string Librarian = "librarian";
    /// <summary>Directors only (network, imports, lockdowns).</summary>
    public const string Director = "director";
    /// <summary>A signed-in patron.</summary>
    public const string Patron = "patron";
    /// <summary>A patron acting for themself, or staff acting for a patron (phone desk).</summary>
    public const string PatronOrStaff = "patronOrStaff";

    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationBuilder auth) => auth
        .AddPolicy(Staff, p => p.RequireRole(Roles.Staff))
        .AddPolicy(Librarian, p => p.RequireRole(Roles.Librarian, Roles.Director))
        .AddPolicy(Director, p => p.RequireRole(Roles.Director))
        .AddPolicy(Patron, p => p.RequireRole(Roles.Patron))
        .AddPolicy(PatronOrStaff, p => p.RequireRole([.. Roles.Staff, Roles.Patron]));
}
