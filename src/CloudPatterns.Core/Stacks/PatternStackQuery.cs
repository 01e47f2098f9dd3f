using System.Collections.Generic;
using System.Linq;
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

    /// <summary>
    /// The instances of the stack sets administered from one target (the caller's account: the management account,
    /// or a delegated administrator), read from the stack sets without entering the member accounts; ours only
    /// (the cloudpatterns:pattern tag) unless told otherwise.
    /// </summary>
    public static async IAsyncEnumerable<PatternStack> StackSetInstancesAsync(AwsSession session, FanOutTarget target, bool includeUnmanaged,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AwsTarget clients = await session.GetTargetAsync(target, cancellationToken).ConfigureAwait(false);
        var management = target.AccountId;
        try
        {
            management = (await clients.Organizations.DescribeOrganizationAsync(new Aws.Organizations.DescribeOrganizationRequest(), cancellationToken).ConfigureAwait(false)).Organization?.MasterAccountId ?? management;
        }
        catch (Amazon.Runtime.AmazonServiceException error) when (error.ErrorCode == "AWSOrganizationsNotInUseException")
        {
        }

        var calls = new Deployment.StackSetCalls(clients, target.AccountId, management);
        var names = new List<string>();
        await foreach (var summary in clients.CloudFormation.ListAllStackSetsAsync(calls.CallAs, cancellationToken).ConfigureAwait(false))
        {
            names.Add(summary.StackSetName!);
        }

        foreach (var name in names)
        {
            if (await calls.DescribeAsync(name, cancellationToken).ConfigureAwait(false) is not { } stackSet
                || (!includeUnmanaged && !stackSet.Tags.Any(t => t.Key == PatternTags.Pattern)))
            {
                continue;
            }

            foreach (var instance in await calls.InstancesAsync(name, cancellationToken).ConfigureAwait(false))
            {
                yield return new PatternStack(stackSet, instance);
            }
        }
    }
}
