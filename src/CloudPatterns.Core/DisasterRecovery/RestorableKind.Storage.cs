using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.S3.Model;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Restore;

namespace CloudPatterns.Core.DisasterRecovery;

// The restorable kinds whose restore is a bucket or an instance rather than a database (docs/localcloud-backup-kinds.md).
internal abstract partial class RestorableKind
{
    /// <summary>
    /// An S3 bucket, restored into a new bucket named by the validation. Usable means every object can be read and its
    /// content matches its ETag (the MD5 of a single-part upload); the check names the first object that does not.
    /// Removal deletes every version, then the bucket.
    /// </summary>
    private sealed class S3Bucket : RestorableKind
    {
        public override string ResourceType => "S3";

        protected override string[] NameKeys { get; } = { "DestinationBucketName" };

        public override void NameRestore(Dictionary<string, string> metadata, string name)
        {
            base.NameRestore(metadata, name);
            metadata["NewBucket"] = "true";
        }

        public override async Task<(string? Arn, bool Available, string Status)?> DescribeAsync(AwsTarget target, string name, CancellationToken cancellationToken)
        {
            var keys = new List<string>();
            try
            {
                var request = new ListObjectsV2Request { BucketName = name };
                ListObjectsV2Response page;
                do
                {
                    page = await target.S3.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                    keys.AddRange((page.S3Objects ?? new List<S3Object>()).Select(item => item.Key));
                    request.ContinuationToken = page.NextContinuationToken;
                }
                while (page.IsTruncated == true);
            }
            catch (AmazonServiceException error) when (IsNotFound(error, "NoSuchBucket"))
            {
                return null;
            }

            foreach (string key in keys)
            {
                using GetObjectResponse found = await target.S3.GetObjectAsync(new GetObjectRequest { BucketName = name, Key = key }, cancellationToken).ConfigureAwait(false);
                using var buffer = new System.IO.MemoryStream();
                await found.ResponseStream.CopyToAsync(buffer, 81920, cancellationToken).ConfigureAwait(false);
                string digest = Md5Hex(buffer.ToArray());
                if (found.ETag?.Trim('"') is { } etag && !etag.Contains('-') && !string.Equals(etag, digest, StringComparison.OrdinalIgnoreCase))
                {
                    return ($"arn:aws:s3:::{name}", false, $"object {key} reads back with MD5 {digest}, not its ETag {etag}");
                }
            }

            return ($"arn:aws:s3:::{name}", keys.Count > 0, keys.Count > 0 ? $"{keys.Count} objects read back, each matching its ETag" : "the bucket holds no objects");
        }

        private static string Md5Hex(byte[] data)
        {
            using MD5 md5 = MD5.Create();
            return BitConverter.ToString(md5.ComputeHash(data)).Replace("-", string.Empty).ToLowerInvariant();
        }

        public override async Task DeleteAsync(AwsTarget target, string name, CancellationToken cancellationToken)
        {
            var request = new ListVersionsRequest { BucketName = name };
            ListVersionsResponse page;
            do
            {
                page = await target.S3.ListVersionsAsync(request, cancellationToken).ConfigureAwait(false);
                foreach (S3ObjectVersion version in page.Versions ?? new List<S3ObjectVersion>())
                {
                    await target.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = name, Key = version.Key, VersionId = version.VersionId }, cancellationToken).ConfigureAwait(false);
                }

                request.KeyMarker = page.NextKeyMarker;
                request.VersionIdMarker = page.NextVersionIdMarker;
            }
            while (page.IsTruncated == true);

            await target.S3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = name }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An EC2 instance: AWS launches it from the backup's image and names it (i-…), so its id comes from the restore
    /// job. Usable means running with both status checks ok; a check waits while the instance is pending or its checks
    /// are initializing (docs/help/Invoke-DrValidation.md). Removal terminates it.
    /// </summary>
    private sealed class Ec2Instance : RestorableKind
    {
        /// <summary>
        /// How long a check waits for a restored instance to boot and pass its first status checks: less than the
        /// DR-Orchestrator function's 900 s timeout, which the same check runs under, so the function still deletes the
        /// instance and writes the record (docs/help/Invoke-DrValidation.md).
        /// </summary>
        private static readonly TimeSpan SettleWait = TimeSpan.FromMinutes(10);

        private static readonly TimeSpan SettlePoll = TimeSpan.FromSeconds(5);

        public override string ResourceType => "EC2";

        protected override string[] NameKeys { get; } = Array.Empty<string>();

        public override async Task<(string? Arn, bool Available, string Status)?> DescribeSettledAsync(AwsTarget target, string name, CancellationToken cancellationToken)
        {
            DateTime deadline = DateTime.UtcNow + SettleWait;
            while (true)
            {
                var found = await DescribeAsync(target, name, cancellationToken).ConfigureAwait(false);
                bool settling = found is { Available: false } seen && (seen.Status == "pending" || seen.Status.Contains("initializing", StringComparison.Ordinal));
                if (!settling || DateTime.UtcNow > deadline)
                {
                    return found;
                }

                await Task.Delay(SettlePoll, cancellationToken).ConfigureAwait(false);
            }
        }

        public override async Task<(string? Arn, bool Available, string Status)?> DescribeAsync(AwsTarget target, string name, CancellationToken cancellationToken)
        {
            Instance? instance;
            try
            {
                DescribeInstancesResponse found = await target.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = new List<string> { name } }, cancellationToken).ConfigureAwait(false);
                instance = found.Reservations.SelectMany(reservation => reservation.Instances).FirstOrDefault(candidate => candidate.InstanceId == name);
            }
            catch (AmazonServiceException error) when (IsNotFound(error, "InvalidInstanceID.NotFound"))
            {
                return null;
            }

            string state = instance?.State?.Name ?? "unknown";
            if (instance is null || state is "terminated" or "shutting-down")
            {
                return null;
            }

            if (state != "running")
            {
                return (null, false, state);
            }

            DescribeInstanceStatusResponse status = await target.Ec2.DescribeInstanceStatusAsync(new DescribeInstanceStatusRequest { InstanceIds = new List<string> { name } }, cancellationToken).ConfigureAwait(false);
            InstanceStatusEntry? checks = status.InstanceStatuses.FirstOrDefault(entry => entry.InstanceId == name);
            string system = checks?.SystemStatus?.Status ?? "unknown";
            string reachability = checks?.InstanceStatus?.Status ?? "unknown";
            return (null, system == "ok" && reachability == "ok", $"running, system status {system}, instance status {reachability}");
        }

        public override Task DeleteAsync(AwsTarget target, string name, CancellationToken cancellationToken) =>
            target.Ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = new List<string> { name } }, cancellationToken);
    }
}
