using System.Text;
using System.Text.Json.Nodes;
using CloudPatterns.Core.DisasterRecovery;

namespace CloudPatterns.Core.Tests.DisasterRecovery;

public sealed class EvidenceTests
{
    private static readonly DateTime RecordedAt = new(2026, 11, 27, 14, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void CanonicalJsonSortsMembersAtEveryLevelAndDropsWhitespace()
    {
        var node = JsonNode.Parse("""{ "b": 1, "a": { "z": [ 2, { "y": true, "x": null } ], "c": "é\"" } }""");

        Assert.Equal("""{"a":{"c":"\u00E9\u0022","z":[2,{"x":null,"y":true}]},"b":1}""", Encoding.UTF8.GetString(CanonicalJson.ToBytes(node)));
    }

    [Fact]
    public void KeysAreChainedByDayRunAndSequenceAsNumbers()
    {
        string[] keys =
        [
            EvidenceStore.KeyFor(RecordedAt, "20261127T140000Z-aaaaaa", 10),
            EvidenceStore.KeyFor(RecordedAt.AddDays(-1), "20261126T230000Z-bbbbbb", 1),
            EvidenceStore.KeyFor(RecordedAt, "20261127T140000Z-aaaaaa", 2),
        ];

        Assert.Equal("dr-validation/2026/11/27/20261127T140000Z-aaaaaa/10.json", keys[0]);
        Assert.Equal(new[] { keys[1], keys[2], keys[0] }, keys.OrderBy(key => key, EvidenceKey.ChainOrder));
    }
}
