using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using CloudPatterns.Aws;
using CloudPatterns.Aws.Restore;

namespace CloudPatterns.Core.DisasterRecovery;

// The restorable kind whose restore is an EFS file system (docs/localcloud-backup-kinds.md, "EFS").
internal abstract partial class RestorableKind
{
    /// <summary>
    /// An EFS file system, restored into a new file system (newFileSystem "true") whose creation token is the name the
    /// validation chose, so the check and the clean-up find it by that token. Usable means available with a metered size
    /// above an empty file system's 6 KiB: the files a restore put there. The files themselves are read only over NFS
    /// from inside the VPC, which the check does not do. Removal deletes its mount targets, then the file system.
    /// </summary>
    private sealed class EfsFileSystem : RestorableKind
    {
        /// <summary>The metered size of an empty file system (its root directory's metadata).</summary>
        private const long EmptySize = 6144;

        public override string ResourceType => "EFS";

        protected override string[] NameKeys { get; } = { "CreationToken" };

        public override void NameRestore(Dictionary<string, string> metadata, string name)
        {
            base.NameRestore(metadata, name);
            metadata["newFileSystem"] = "true";
        }

        public override async Task<(string? Arn, bool Available, string Status)?> DescribeAsync(AwsTarget target, string name, CancellationToken cancellationToken)
        {
            FileSystemDescription? found = await FindAsync(target, name, cancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                return null;
            }

            long size = found.SizeInBytes?.Value ?? 0;
            string state = found.LifeCycleState ?? "unknown";
            return state != "available"
                ? (found.FileSystemArn, false, state)
                : (found.FileSystemArn, size > EmptySize, size > EmptySize
                    ? "available, " + size.ToString(CultureInfo.InvariantCulture) + " bytes metered"
                    : "available but empty (" + size.ToString(CultureInfo.InvariantCulture) + " bytes metered, the size of a file system with no files)");
        }

        public override async Task DeleteAsync(AwsTarget target, string name, CancellationToken cancellationToken)
        {
            FileSystemDescription? found = await FindAsync(target, name, cancellationToken).ConfigureAwait(false);
            if (found?.FileSystemId is not { } id)
            {
                return;
            }

            DescribeMountTargetsResponse mountTargets = await target.Efs.DescribeMountTargetsAsync(new DescribeMountTargetsRequest { FileSystemId = id }, cancellationToken).ConfigureAwait(false);
            foreach (MountTargetDescription mountTarget in mountTargets.MountTargets)
            {
                await target.Efs.DeleteMountTargetAsync(new DeleteMountTargetRequest { MountTargetId = mountTarget.MountTargetId }, cancellationToken).ConfigureAwait(false);
            }

            await target.Efs.DeleteFileSystemAsync(new DeleteFileSystemRequest { FileSystemId = id }, cancellationToken).ConfigureAwait(false);
        }

        private static async Task<FileSystemDescription?> FindAsync(AwsTarget target, string creationToken, CancellationToken cancellationToken)
        {
            try
            {
                DescribeFileSystemsResponse found = await target.Efs.DescribeFileSystemsAsync(new DescribeFileSystemsRequest { CreationToken = creationToken }, cancellationToken).ConfigureAwait(false);
                return found.FileSystems.FirstOrDefault();
            }
            catch (AmazonServiceException error) when (IsNotFound(error, "FileSystemNotFound"))
            {
                return null;
            }
        }
    }
}
