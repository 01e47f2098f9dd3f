using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Aws.CloudFormation;

namespace CloudPatterns.Core.Stacks;

/// <summary>The stacks of one target (one DescribeStacks listing, paged), ours only unless told otherwise.</summary>
public static class PatternStackQuery
{
    public static async IAsyncEnumerable<PatternStack> RunAsync(AwsSession session, FanOutTarget target, bool includeUnmanaged,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AwsTarget clients = await session.GetTargetAsync(target, cancellationToken).ConfigureAwait(false);
        await foreach (Stack stack in clients.CloudFormation.DescribeAllStacksAsync(cancellationToken).ConfigureAwait(false))
        {
            var result = new PatternStack(target.AccountId, target.Region, stack);
            if (includeUnmanaged || result.Pattern is not null)
            {
                yield return result;
            }
        }
    }
}
