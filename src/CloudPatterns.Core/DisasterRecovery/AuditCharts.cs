using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace CloudPatterns.Core.DisasterRecovery;

/// <summary>One bar: its label, its value (null: no data, drawn as a gap), the text shown beside it, and whether it meets its target.</summary>
internal sealed class ChartBar
{
    public ChartBar(string label, double? value, string text, bool good)
    {
        Label = label;
        Value = value;
        Text = text;
        Good = good;
    }

    public string Label { get; }

    public double? Value { get; }

    public string Text { get; }

    public bool Good { get; }
}

/// <summary>
/// Horizontal bar charts as inline SVG: no script, no font or image to fetch. Each chart and bar carries its data in
/// <c>data-*</c> attributes (<c>data-chart</c>, <c>data-points</c>; <c>data-label</c>, <c>data-value</c>), so a test
/// reading the rendered DOM can check that every chart drew every value.
/// </summary>
internal static class AuditCharts
{
    private const int Row = 24;
    private const int LabelWidth = 220;
    private const int BarWidth = 360;

    /// <summary>A bar per item, scaled to <paramref name="scale"/> (the value of a full bar); an optional target line.</summary>
    public static string Bars(string id, string title, IReadOnlyList<ChartBar> bars, double scale, double? target = null, string? targetText = null)
    {
        int height = Math.Max(1, bars.Count) * Row + (target is null ? 4 : 20);
        var svg = new StringBuilder()
            .Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"{E(id)}\" data-points=\"{bars.Count}\" width=\"780\" height=\"{height}\" role=\"img\" aria-label=\"{E(title)}\"><title>{E(title)}</title>");
        for (int i = 0; i < bars.Count; i++)
        {
            ChartBar bar = bars[i];
            int y = i * Row + 2;
            double width = bar.Value is { } value && scale > 0 ? BarWidth * Math.Min(1, Math.Max(0, value / scale)) : 0;
            svg.Append($"<text x=\"0\" y=\"{y + 16}\" font-size=\"12\">{E(bar.Label)}</text>")
                .Append($"<rect x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{BarWidth}\" height=\"16\" fill=\"#eee\"/>")
                .Append($"<rect class=\"bar\" data-label=\"{E(bar.Label)}\" data-value=\"{(bar.Value is { } v ? Number(v) : "")}\" x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{Number(width)}\" height=\"16\" fill=\"{(bar.Value is null ? "none" : bar.Good ? "#2b9348" : "#d00000")}\"/>")
                .Append($"<text x=\"{LabelWidth + BarWidth + 10}\" y=\"{y + 16}\" font-size=\"12\">{E(bar.Text)}</text>");
        }

        if (target is { } line && scale > 0)
        {
            double x = LabelWidth + BarWidth * Math.Min(1, line / scale);
            int bottom = bars.Count * Row + 4;
            svg.Append($"<line class=\"target\" data-value=\"{Number(line)}\" x1=\"{Number(x)}\" y1=\"0\" x2=\"{Number(x)}\" y2=\"{bottom}\" stroke=\"#1b1b1b\" stroke-dasharray=\"4 3\"/>")
                .Append($"<text x=\"{Number(Math.Max(LabelWidth, x - 60))}\" y=\"{bottom + 13}\" font-size=\"11\">{E(targetText ?? "target")}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>The largest of the values and the target, so both fit; 1 when there is nothing to scale.</summary>
    public static double ScaleOf(IEnumerable<double?> values, double? target)
    {
        double largest = values.OfType<double>().Concat(target is { } t ? new[] { t } : Array.Empty<double>()).DefaultIfEmpty(0).Max();
        return largest > 0 ? largest * 1.1 : 1;
    }
}
