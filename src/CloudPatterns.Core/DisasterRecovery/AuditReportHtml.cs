using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>
/// The HTML form of an audit report, written row by row to a <see cref="TextWriter"/>: one file with inline styles and SVG charts, no script and nothing
/// to fetch, so it opens the same offline, in a mail client or archived with the evidence. Every duration is
/// written for people (<see cref="HumanDuration"/>), every time in UTC.
/// </summary>
internal static class AuditReportHtml
{
    public static void Write(AuditReportContent report, TextWriter html)
    {
        AuditReportTotals totals = report.Totals;
        html.Write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Disaster recovery audit report</title><style>");
        html.Write("body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}");
        html.Write("th{background:#f0f0f0}.pass{color:#11602a}.fail{color:#a4161a;font-weight:bold}.kpi{display:inline-block;margin-right:2rem;font-size:1.4rem}");
        html.Write(".tamper{border:3px solid #a4161a;background:#fde8e8;padding:1rem;margin:1rem 0}ul.arns{margin:0;padding-left:1rem;font-size:.85rem}");
        html.Write("</style></head><body>");
        html.Write("<h1>Disaster recovery audit report</h1>");
        html.Write($"<p id=\"period\">Period covered: <strong>{E(report.PeriodText)}</strong> (UTC).</p>");
        html.Write($"<p>Evidence bucket <code>{E(report.Bucket)}</code>, generated {E(report.GeneratedAt.ToString("u", CultureInfo.InvariantCulture))}.</p>");
        html.Write($"<p><span class=\"kpi\">Validations: {totals.Validations}</span><span class=\"kpi\">Success rate: {AuditReport.Percent(report.SuccessRate)}</span>");
        html.Write($"<span class=\"kpi\">Drills: {totals.DrillsPassed} of {totals.Drills} passed</span>");
        html.Write(report.Coverage is { } coverage ? $"<span class=\"kpi\">Coverage: {AuditReport.Percent(coverage.Rate)}</span>" : "");
        html.Write($"<span class=\"kpi {(report.ChainIntact ? "pass" : "fail")}\">Evidence chain: {(report.ChainIntact ? "intact" : totals.Records == 0 ? "NO EVIDENCE" : "BROKEN")}</span></p>");
        Tampering(report, html);
        html.Write(Coverage(report));
        html.Write(Trends(report));
        html.Write("<h2>Success rate per account and resource type</h2>");
        html.Write(AuditCharts.Bars("success-rate-by-group", "Success rate per account and resource type",
            report.Groups.Select(g => new ChartBar($"{g.AccountId} {g.ResourceType}", g.SuccessRate ?? 0, AuditReport.Percent(g.SuccessRate), g.SuccessRate >= 0.95)).ToList(), 1));
        html.Write("<h2>RTO and RPO against targets</h2><table><tr><th>Account</th><th>Resource type</th><th>Validations</th><th>Passed</th><th>Longest RTO</th><th>RTO target</th><th>RTO met</th><th>Oldest RPO</th><th>RPO target</th><th>RPO met</th></tr>");
        foreach (AuditReportGroup g in report.Groups)
        {
            html.Write($"<tr><td>{E(g.AccountId)}</td><td>{E(g.ResourceType)}</td><td>{g.Validations}</td><td>{g.Passed}</td><td>{D(g.RtoMax)}</td><td>{D(g.RtoTarget)}</td><td>{g.RtoMet}/{g.Validations}</td><td>{D(g.RpoMax)}</td><td>{D(g.RpoTarget)}</td><td>{g.RpoMet}/{g.Validations}</td></tr>");
        }

        html.Write("</table>");
        Drills(report, html);
        html.Write("<h2>Controls</h2><table id=\"controls\"><tr><th>Framework</th><th>Control</th><th>Title</th><th>Status</th><th>Evidence</th></tr>");
        foreach (AuditControl c in report.Controls())
        {
            html.Write($"<tr data-control=\"{E(c.Control)}\"><td>{E(c.Framework)}</td><td>{E(c.Control)}</td><td>{E(c.Title)}</td><td class=\"{(c.Supported ? "pass" : "fail")}\">{(c.Supported ? "Supported" : "Not supported")}</td><td>{E(c.Evidence)}</td></tr>");
        }

        html.Write("</table>");
        Failures(report, html);
        html.Write("</body></html>");
    }

    /// <summary>The banner and table of every record that failed verification, first thing after the figures.</summary>
    private static void Tampering(AuditReportContent report, TextWriter html)
    {
        if (report.Totals.Tampered == 0)
        {
            return;
        }

        html.Write("<div class=\"tamper\" role=\"alert\">");
        html.Write($"<h2 class=\"fail\">EVIDENCE TAMPERING DETECTED: {report.Totals.Tampered} of {report.Totals.Records} records failed verification</h2>");
        html.Write("<p>These records were forged, replaced, added as new versions, signed with another key, or removed. The figures above count none of them as passed.</p>");
        html.Write("<table><tr><th>Key</th><th>Kind</th><th>Run</th><th>Versions</th><th>Why</th></tr>");
        foreach (AuditEvidence t in report.Rows.Tampered())
        {
            html.Write($"<tr><td><code>{E(t.Key)}</code></td><td>{E(t.RecordType)}</td><td>{E(t.RunId)}</td><td>{E(string.Join(", ", t.Versions))}</td><td class=\"fail\">{E(string.Join(" ", t.Failures))}</td></tr>");
        }

        html.Write("</table></div>");
    }

    private static string Coverage(AuditReportContent report)
    {
        var html = new StringBuilder("<h2 id=\"coverage\">Coverage of the organization's protected resources</h2>");
        if (report.Coverage is not { } coverage)
        {
            return html.Append("<p>Not measured: export with -CoverageRegion to compare AWS Backup's protected resources with the validations.</p>").ToString();
        }

        html.Append($"<p>{coverage.Validated} of {coverage.Protected} protected resources (AWS Backup ListProtectedResources) had a verified, passed validation in the period.</p>")
            .Append(AuditCharts.Bars("coverage-by-account", "Protected resources validated per account",
                coverage.Accounts.Select(a => new ChartBar(a.AccountId, a.Rate ?? 0, $"{a.Validated.Count} of {a.Protected}", a.Rate >= 1)).ToList(), 1))
            .Append("<table><tr><th>Account</th><th>Protected</th><th>Validated</th><th>Only failed validations</th><th>Not validated</th></tr>");
        foreach (AuditCoverageAccount account in coverage.Accounts)
        {
            html.Append($"<tr data-account=\"{E(account.AccountId)}\"><td>{E(account.AccountId)}</td><td>{account.Protected}</td><td>{account.Validated.Count}</td><td class=\"{(account.FailedOnly.Count == 0 ? "" : "fail")}\">{Arns(account.FailedOnly)}</td><td class=\"{(account.NotValidated.Count == 0 ? "" : "fail")}\">{Arns(account.NotValidated)}</td></tr>");
        }

        html.Append("</table>");
        if (coverage.Unreadable.Count > 0)
        {
            html.Append("<p class=\"fail\">Not readable, so not counted:</p><ul>");
            foreach (UnreadableCoverageTarget target in coverage.Unreadable)
            {
                html.Append($"<li>{E(target.AccountId)} {E(target.Region)}: {E(target.Reason)}</li>");
            }

            html.Append("</ul>");
        }

        return html.ToString();
    }

    private static string Trends(AuditReportContent report)
    {
        var html = new StringBuilder("<h2 id=\"trends\">Trends per month</h2>");
        if (report.Trends.Count == 0)
        {
            return html.Append("<p>No validations in the period.</p>").ToString();
        }

        double? target = report.Trends.Select(t => t.RtoTarget?.TotalMinutes).OfType<double>().DefaultIfEmpty().Min() is var least && least > 0 ? least : null;
        html.Append("<h3>Success rate</h3>")
            .Append(AuditCharts.Bars("trend-success-rate", "Success rate per month",
                report.Trends.Select(t => new ChartBar(t.Month, t.SuccessRate, t.Validations == 0 ? "no validations" : $"{AuditReport.Percent(t.SuccessRate)} ({t.Passed} of {t.Validations})", t.SuccessRate >= 0.95)).ToList(), 1))
            .Append("<h3>Longest RTO</h3>")
            .Append(AuditCharts.Bars("trend-rto", "Longest RTO per month, in minutes",
                report.Trends.Select(t => new ChartBar(t.Month, t.RtoMax?.TotalMinutes, t.RtoMax is null ? "no RTO measured" : HumanDuration.Format(t.RtoMax), t.RtoTarget is null || t.RtoMax <= t.RtoTarget)).ToList(),
                AuditCharts.ScaleOf(report.Trends.Select(t => t.RtoMax?.TotalMinutes), target), target, target is { } t ? $"target {HumanDuration.Format(TimeSpan.FromMinutes(t))}" : null))
            .Append("<table><tr><th>Month</th><th>Validations</th><th>Passed</th><th>Success rate</th><th>Longest RTO</th><th>Mean RTO</th><th>RTO target</th></tr>");
        foreach (AuditTrendMonth month in report.Trends)
        {
            html.Append($"<tr><td>{month.Month}</td><td>{month.Validations}</td><td>{month.Passed}</td><td>{AuditReport.Percent(month.SuccessRate)}</td><td>{D(month.RtoMax)}</td><td>{D(month.RtoMean)}</td><td>{D(month.RtoTarget)}</td></tr>");
        }

        return html.Append("</table>").ToString();
    }

    private static void Drills(AuditReportContent report, TextWriter html)
    {
        html.Write("<h2 id=\"drills\">DR drills</h2>");
        if (report.Totals.Drills == 0)
        {
            html.Write("<p>No DR drills in the period.</p>");
            return;
        }

        html.Write("<p>Failovers into an isolated copy that took no traffic, timed step by step and torn down; kept apart from restore validations.</p>");
        html.Write("<table><tr><th>Recorded</th><th>Account</th><th>Region</th><th>Application</th><th>Outcome</th><th>RTO</th><th>RTO target</th><th>RPO</th><th>RPO target</th><th>Timeline</th></tr>");
        foreach (AuditEvidence drill in report.Rows.Drills())
        {
            bool passed = AuditReport.PassedAndVerified(drill);
            html.Write($"<tr data-drill=\"{E(drill.Key)}\"><td>{drill.RecordedAt:u}</td><td>{E(drill.AccountId)}</td><td>{E(drill.Region)}</td><td>{E(drill.ResourceArn)}</td>");
            html.Write($"<td class=\"{(passed ? "pass" : "fail")}\">{E(drill.Outcome)}{(drill.Verified ? "" : " (not verified)")}</td>");
            html.Write($"<td>{D(drill.Rto)}</td><td>{D(drill.RtoTarget)}</td><td>{D(drill.Rpo)}</td><td>{D(drill.RpoTarget)}</td><td>{Timeline(drill.Timeline)}</td></tr>");
        }

        html.Write("</table>");
    }

    private static string Timeline(IReadOnlyList<EvidenceTimelineStep> steps)
    {
        if (steps.Count == 0)
        {
            return "no timeline recorded";
        }

        var html = new StringBuilder("<ol class=\"timeline\">");
        foreach (EvidenceTimelineStep step in steps)
        {
            string took = step.EndedAt is { } end ? HumanDuration.Format(end - step.StartedAt) : "did not end";
            html.Append($"<li class=\"{(step.Outcome == CheckOutcome.Failed ? "fail" : "")}\">{E(step.Name)}: {step.StartedAt.ToUniversalTime():HH:mm:ss}, {took}{(step.Outcome is { Length: > 0 } outcome && outcome != CheckOutcome.Passed ? $" ({E(outcome)})" : "")}</li>");
        }

        return html.Append("</ol>").ToString();
    }

    private static void Failures(AuditReportContent report, TextWriter html)
    {
        html.Write("<h2>Failures</h2>");
        if (report.Totals.Failures == 0)
        {
            html.Write("<p class=\"pass\">None.</p>");
            return;
        }

        html.Write("<table><tr><th>Recorded</th><th>Kind</th><th>Account</th><th>Resource</th><th>Outcome</th><th>Failed checks</th><th>Alerted to</th><th>Verification</th><th>Key</th></tr>");
        foreach (AuditEvidence f in report.Rows.Failures())
        {
            html.Write($"<tr><td>{f.RecordedAt:u}</td><td>{E(f.RecordType == EvidenceRecordType.Missing ? "removed" : f.Kind)}</td><td>{E(f.AccountId)}</td><td>{E(f.ResourceArn)}</td><td class=\"{(f.Outcome == CheckOutcome.Passed ? "pass" : "fail")}\">{E(f.Outcome)}</td><td>{E(string.Join(", ", f.FailedChecks))}</td>");
            html.Write($"<td class=\"{(f.AlertTopicArn is null && f.Outcome == CheckOutcome.Failed ? "fail" : "")}\">{(f.AlertTopicArn is { } topic ? E(topic) : f.Outcome == CheckOutcome.Failed ? "nobody" : "")}</td>");
            html.Write($"<td class=\"{(f.Verified ? "pass" : "fail")}\">{(f.Verified ? "verified" : E(string.Join(" ", f.Failures)))}</td><td><code>{E(f.Key)}</code></td></tr>");
        }

        html.Write("</table>");
    }

    private static string Arns(IReadOnlyList<string> arns) =>
        arns.Count == 0 ? "0" : $"{arns.Count}<ul class=\"arns\">{string.Concat(arns.Select(arn => $"<li>{E(arn)}</li>"))}</ul>";

    private static string D(TimeSpan? value) => E(HumanDuration.Format(value));

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
