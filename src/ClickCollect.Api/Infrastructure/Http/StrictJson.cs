using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ClickCollect.Api.Infrastructure.Http;

/// <summary>
/// What a request body may hold, decided once for every route (#14) instead of per validator:
/// <list type="bullet">
/// <item>a member the request record does not mark optional (nullable, or with a default value) is
///   required: <c>{"name": …}</c> no longer deactivates a pickup point by leaving <c>active</c> out;</item>
/// <item><c>null</c> is refused where the record does not allow it, in members and in list elements
///   (<c>"windows": [null]</c>);</item>
/// <item>a key given twice is refused (which one would win is a parser's choice, not the client's);</item>
/// <item>dates and instants lie within <see cref="DateBounds"/>, so no calculator meets 9999-12-31 or 0001-01-01;</item>
/// <item>no string holds a NUL character (PostgreSQL refuses them in text; nothing legitimate carries one).</item>
/// </list>
/// Every refusal is a <see cref="JsonException"/>, which <see cref="ProblemMapping"/> turns into a 400
/// naming the field. Only our own types are tightened: framework types keep their behaviour.
/// </summary>
internal static class StrictJson
{
    public static void Apply(JsonSerializerOptions options)
    {
        options.AllowDuplicateProperties = false;
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(Tighten);
    }

    static readonly Assembly Ours = typeof(StrictJson).Assembly;

    // Values are checked once the object is read rather than by converters of our own, so the OpenAPI
    // document keeps describing strings and dates as the framework does.
    static void Tighten(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || type.Type.Assembly != Ours) return;
        var context = new NullabilityInfoContext();
        var checks = new List<(JsonPropertyInfo Property, bool NullAllowed, bool ElementsNullAllowed)>();
        foreach (var property in type.Properties)
        {
            if (property.Set is null && property.AssociatedParameter is null) continue; // read-only: never bound
            var parameter = property.AssociatedParameter;
            var nullability = Nullability(context, parameter?.AttributeProvider ?? property.AttributeProvider);
            var nullAllowed = nullability is null || nullability.WriteState != NullabilityState.NotNull
                              || Nullable.GetUnderlyingType(property.PropertyType) is not null;
            if (parameter is { HasDefaultValue: false, IsMemberInitializer: false } && !nullAllowed) property.IsRequired = true;
            var elementsNullAllowed = ElementNullAllowed(property.PropertyType, nullability);
            if (!nullAllowed || !elementsNullAllowed || Checked(property.PropertyType)) checks.Add((property, nullAllowed, elementsNullAllowed));
        }
        if (checks.Count == 0) return;
        var previous = type.OnDeserialized;
        type.OnDeserialized = value =>
        {
            foreach (var (property, nullAllowed, elementsNullAllowed) in checks)
            {
                var member = property.Get?.Invoke(value);
                if (member is null)
                {
                    if (!nullAllowed) throw new FieldJsonException(property.Name, "Valeur requise (null refusé).");
                    continue;
                }
                if (Refusal(member) is { } refusal) throw new FieldJsonException(property.Name, refusal);
                if (member is IEnumerable list and not string)
                {
                    var i = 0;
                    foreach (var element in list)
                    {
                        if (element is null && !elementsNullAllowed) throw new FieldJsonException($"{property.Name}[{i}]", "Élément requis (null refusé).");
                        if (element is not null && Refusal(element) is { } elementRefusal) throw new FieldJsonException($"{property.Name}[{i}]", elementRefusal);
                        i++;
                    }
                }
            }
            previous?.Invoke(value);
        };
    }

    static bool Checked(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) || t == typeof(DateOnly) || t == typeof(DateTimeOffset) || t == typeof(DateTime)
               || (t != typeof(string) && typeof(IEnumerable).IsAssignableFrom(t));
    }

    static string? Refusal(object value) => value switch
    {
        string text when text.Contains('\0') => "Caractère NUL refusé.",
        DateOnly date when !DateBounds.Contains(date) => DateBounds.Message,
        DateTimeOffset instant when !DateBounds.Contains(instant) => DateBounds.Message,
        DateTime instant when !DateBounds.Contains(new DateTimeOffset(DateTime.SpecifyKind(instant, DateTimeKind.Utc))) => DateBounds.Message,
        _ => null,
    };

    static NullabilityInfo? Nullability(NullabilityInfoContext context, ICustomAttributeProvider? member) => member switch
    {
        ParameterInfo p => context.Create(p),
        PropertyInfo p => context.Create(p),
        FieldInfo f => context.Create(f),
        _ => null,
    };

    /// <summary>False when <paramref name="type"/> is a list whose elements are declared non-null.</summary>
    static bool ElementNullAllowed(Type type, NullabilityInfo? nullability)
    {
        if (nullability is null || type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type)) return true;
        var element = nullability.ElementType ?? (nullability.GenericTypeArguments.Length == 1 ? nullability.GenericTypeArguments[0] : null);
        if (element is null) return true;
        if (element.Type.IsValueType) return Nullable.GetUnderlyingType(element.Type) is not null;
        return element.ReadState != NullabilityState.NotNull;
    }
}

/// <summary>A refused member, named relative to the object being read (the serializer adds the object's path).</summary>
internal sealed class FieldJsonException(string field, string message) : JsonException(message)
{
    public string Field { get; } = field;
}
