using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace CloudPatterns.Aws.Protocol;

/// <summary>A request of a paginated operation: the service's continuation token goes back in <see cref="NextToken"/>.</summary>
public interface IPaginatedRequest
{
    string? NextToken { get; set; }
}

/// <summary>A page of results; no <see cref="NextToken"/> means it was the last page.</summary>
public interface IPaginatedResponse
{
    string? NextToken { get; }
}

internal static class Pagination
{
    /// <summary>
    /// Streams the items of every page, fetching the next page only when the consumer has taken this one's items.
    /// A page may be empty while more follow (Organizations documents this), so only the token ends the loop.
    /// </summary>
    public static async IAsyncEnumerable<TItem> ItemsAsync<TRequest, TResponse, TItem>(
        TRequest request,
        Func<TRequest, CancellationToken, Task<TResponse>> fetchPage,
        Func<TResponse, IEnumerable<TItem>> itemsOf,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where TRequest : IPaginatedRequest
        where TResponse : IPaginatedResponse
    {
        while (true)
        {
            TResponse page = await fetchPage(request, cancellationToken).ConfigureAwait(false);
            foreach (TItem item in itemsOf(page) ?? Enumerable.Empty<TItem>())
            {
                yield return item;
            }

            if (string.IsNullOrEmpty(page.NextToken))
            {
                yield break;
            }

            if (page.NextToken == request.NextToken)
            {
                throw new InvalidOperationException($"The service returned the same pagination token twice for {typeof(TRequest).Name}; stopping to avoid an endless loop.");
            }

            request.NextToken = page.NextToken;
        }
    }
}
