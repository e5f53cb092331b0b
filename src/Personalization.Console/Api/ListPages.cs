using Personalization.V1;

namespace Personalization.Console.Api;

/// <summary>One page of a list call: its items and where the next page starts (the server's <c>PageInfo</c>).</summary>
/// <typeparam name="T">The listed message.</typeparam>
public delegate Task<(IEnumerable<T> Items, PageInfo? Page)> FetchPage<T>(PageRequest page);

/// <summary>
/// A list screen's pages: the pages a person has asked for so far, in the server's order, driven by
/// <c>next_page_token</c>. <see cref="LoadAsync"/> (at first and on every refresh) reads the same number of pages again
/// from the start; <see cref="MoreAsync"/> adds the next page; an item already shown is never shown twice.
/// <see cref="ListPages.AllAsync{T}"/> reads every page, for the pickers (segment and offer selectors).
/// </summary>
/// <typeparam name="T">The listed message.</typeparam>
public sealed class ListPages<T>(Func<T, string> key)
{
    /// <summary>The items of the pages read so far.</summary>
    public IReadOnlyList<T> Items { get; private set; } = [];

    /// <summary>Where the next page starts; empty on the last page.</summary>
    public string NextToken { get; private set; } = "";

    /// <summary>Whether there is a page after those shown.</summary>
    public bool HasMore => NextToken.Length > 0;

    /// <summary>How many pages are shown.</summary>
    public int Pages { get; private set; } = 1;

    /// <summary>Reads the pages shown again, from the first (a refresh, or a new filter after <see cref="Reset"/>).</summary>
    public async Task LoadAsync(FetchPage<T> fetch, int pageSize)
    {
        var items = new List<T>();
        var token = "";
        for (var page = 0; page < Pages; page++)
        {
            var (read, info) = await fetch(new PageRequest { PageSize = pageSize, PageToken = token });
            items.AddRange(read);
            token = info?.NextPageToken ?? "";
            if (token.Length == 0)
            {
                break;
            }
        }

        Items = Distinct(items);
        NextToken = token;
    }

    /// <summary>Adds the next page to those shown (nothing when there is none).</summary>
    public async Task MoreAsync(FetchPage<T> fetch, int pageSize)
    {
        if (!HasMore)
        {
            return;
        }

        var (read, info) = await fetch(new PageRequest { PageSize = pageSize, PageToken = NextToken });
        Items = Distinct([.. Items, .. read]);
        NextToken = info?.NextPageToken ?? "";
        Pages++;
    }

    /// <summary>Back to the first page only (a new filter).</summary>
    public void Reset() => Pages = 1;

    private List<T> Distinct(IEnumerable<T> items) => items.DistinctBy(key, StringComparer.Ordinal).ToList();
}

/// <summary>Every page of a list at once, for the pickers.</summary>
public static class ListPages
{
    /// <summary>Every page of a list, in the server's order, each item once.</summary>
    public static async Task<List<T>> AllAsync<T>(FetchPage<T> fetch, int pageSize, Func<T, string> key)
    {
        var pages = new ListPages<T>(key);
        await pages.LoadAsync(fetch, pageSize);
        while (pages.HasMore)
        {
            await pages.MoreAsync(fetch, pageSize);
        }

        return [.. pages.Items];
    }
}
