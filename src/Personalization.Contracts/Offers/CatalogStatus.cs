namespace Personalization.Contracts.Offers;

/// <summary>What the catalog did with a change.</summary>
public enum CatalogStatus
{
    /// <summary>Done.</summary>
    Ok,

    /// <summary>Create: an offer with that id exists.</summary>
    AlreadyExists,

    /// <summary>Update, get or archive: no offer with that id.</summary>
    NotFound,
}
