namespace Keel.Core.Tracking.Search;

/// <summary>SQL with named parameters (<c>@p0</c>; the dictionary keys carry no prefix), ready for Dapper or ADO.NET.</summary>
internal sealed record SqlQuery(string Sql, IReadOnlyDictionary<string, object?> Parameters);

/// <summary>Hands out parameter names so that every user-supplied value reaches the database as a parameter.</summary>
internal sealed class SqlParameterBag
{
    private readonly Dictionary<string, object?> _values = [];

    public IReadOnlyDictionary<string, object?> Values => _values;

    /// <summary>Adds a value and returns the placeholder to put in the SQL.</summary>
    public string Add(object? value)
    {
        var name = $"p{_values.Count}";
        _values[name] = value;
        return "@" + name;
    }

    public string AddList(IEnumerable<string> values) => "(" + string.Join(", ", values.Select(v => Add(v))) + ")";
}
