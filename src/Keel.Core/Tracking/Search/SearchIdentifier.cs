namespace Keel.Core.Tracking.Search;

/// <summary>A key as written (<c>metrics.`my metric`</c>): the entity prefix if any, and the key without quotes.</summary>
internal sealed record SearchIdentifier(string? Entity, string Key, string Text);

/// <summary>One comparison as written, before the run or experiment grammar decides whether it makes sense.</summary>
internal sealed record RawComparison(SearchIdentifier Identifier, Comparator Comparator, FilterValue Value, string Text);
