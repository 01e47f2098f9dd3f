using System;

namespace CloudPatterns.Core;

/// <summary>
/// Progress that calls back on the reporting thread, in order (<see cref="Progress{T}"/> posts to whatever
/// synchronisation context it was created on, which a cmdlet's worker does not have).
/// </summary>
public sealed class ProgressCallback<T> : IProgress<T>
{
    private readonly Action<T> report;

    public ProgressCallback(Action<T> report) => this.report = report;

    public void Report(T value) => report(value);
}
