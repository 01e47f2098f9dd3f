using System;
using System.Collections.Generic;
using System.Linq;
using CloudPatterns.Aws;

namespace CloudPatterns.Core;

/// <summary>Every problem found before the first change, in one error; nothing was changed.</summary>
public sealed class PreflightException : ArgumentException
{
    public PreflightException(IReadOnlyList<string> problems)
        : base(string.Join(" ", problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}

/// <summary>Regions given by the user, checked against AWS's partition metadata before any call.</summary>
public static class RegionCheck
{
    /// <summary>One problem per region that is not an AWS region, naming the parameter; empty when all are.</summary>
    public static IReadOnlyList<string> Problems(string parameter, IEnumerable<string>? regions) =>
        (regions ?? Enumerable.Empty<string>()).Distinct(StringComparer.Ordinal)
            .Select(region => AwsIdentifiers.RegionProblem(parameter, region))
            .Where(problem => problem is not null)
            .Select(problem => problem!)
            .ToList();
}
