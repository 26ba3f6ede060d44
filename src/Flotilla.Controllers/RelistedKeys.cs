namespace Flotilla.Controllers;

/// <summary>
/// The keys the current list of a watch reported, so that once the list is complete what it no longer has — deleted
/// while the watch was down (a re-list after 410) — can be handled as deleted. Used on the watch loop only.
/// </summary>
internal sealed class RelistedKeys
{
    private readonly HashSet<string> _listing = new(StringComparer.Ordinal);

    /// <summary>Records a key the list reported (an object of type <c>LISTED</c>).</summary>
    public void Listed(string key) => _listing.Add(key);

    /// <summary>Of <paramref name="known"/>, the keys the finished list did not report; the next list starts empty.</summary>
    public List<string> Vanished(IEnumerable<string> known)
    {
        var vanished = known.Where(k => !_listing.Contains(k)).ToList();
        _listing.Clear();
        return vanished;
    }
}
