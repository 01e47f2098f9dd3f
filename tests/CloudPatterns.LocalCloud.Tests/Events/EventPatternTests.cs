using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Events;

namespace CloudPatterns.LocalCloud.Tests.Events;

/// <summary>
/// The event pattern grammar as AWS documents it (docs/localcloud-events.md, "Event patterns"), on one Backup-like event;
/// the same matcher serves rules and TestEventPattern (whose wire shape the conformance steps check).
/// </summary>
public sealed class EventPatternTests
{
    private const string Event = """
        {"version":"0","id":"e-1","detail-type":"Copy Job State Change","source":"aws.backup","account":"333333333333",
         "time":"2026-12-05T00:00:00Z","region":"us-east-2","resources":["arn:aws:backup:us-east-2:333333333333:recovery-point:A1"],
         "detail":{"state":"COMPLETED","resourceType":"RDS","size":42,"ratio":0.5,"encrypted":true,"note":null,"sourceIp":"10.0.3.7",
                   "vault":"arn:aws:backup:us-east-2:333333333333:backup-vault:Central-Vault","tags":["dr","prod"],
                   "items":[{"name":"a","kind":"db"},{"name":"b","kind":"volume"}],"empty":""}}
        """;

    [Theory]
    [InlineData("""{"source":["aws.backup"]}""", true)]
    [InlineData("""{"source":["aws.rds","aws.backup"]}""", true)]
    [InlineData("""{"source":["aws.rds"]}""", false)]
    [InlineData("""{"detail-type":["Copy Job State Change"],"detail":{"state":["COMPLETED"]}}""", true)]
    [InlineData("""{"detail":{"state":["FAILED"]}}""", false)]
    [InlineData("""{"detail":{"size":[42]}}""", true)]
    [InlineData("""{"detail":{"size":[42.0]}}""", true)]
    [InlineData("""{"detail":{"size":["42"]}}""", false)]
    [InlineData("""{"detail":{"encrypted":[true]}}""", true)]
    [InlineData("""{"detail":{"note":[null]}}""", true)]
    [InlineData("""{"detail":{"missing":[null]}}""", false)]
    [InlineData("""{"detail":{"empty":[""]}}""", true)]
    [InlineData("""{"detail":{"tags":["prod"]}}""", true)]
    [InlineData("""{"detail":{"items":{"kind":["volume"]}}}""", true)]
    [InlineData("""{"detail":{"items":{"kind":["bucket"]}}}""", false)]
    [InlineData("""{"detail":{"vault":[{"prefix":"arn:aws:backup:us-east-2:"}]}}""", true)]
    [InlineData("""{"detail":{"vault":[{"prefix":"arn:aws:backup:us-west-2:"}]}}""", false)]
    [InlineData("""{"detail":{"vault":[{"prefix":{"equals-ignore-case":"ARN:AWS:BACKUP"}}]}}""", true)]
    [InlineData("""{"detail":{"vault":[{"suffix":"Central-Vault"}]}}""", true)]
    [InlineData("""{"detail":{"vault":[{"suffix":"central-vault"}]}}""", false)]
    [InlineData("""{"detail":{"vault":[{"suffix":{"equals-ignore-case":"central-vault"}}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"equals-ignore-case":"completed"}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"anything-but":"FAILED"}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"anything-but":["COMPLETED","FAILED"]}]}}""", false)]
    [InlineData("""{"detail":{"missing":[{"anything-but":"x"}]}}""", false)]
    [InlineData("""{"detail":{"size":[{"anything-but":[41,43]}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"anything-but":{"prefix":"COMP"}}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"anything-but":{"suffix":"TED"}}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"anything-but":{"equals-ignore-case":["completed","failed"]}}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"anything-but":{"wildcard":"*PLE*"}}]}}""", false)]
    [InlineData("""{"detail":{"size":[{"numeric":[">",40,"<=",42]}]}}""", true)]
    [InlineData("""{"detail":{"size":[{"numeric":["<",42]}]}}""", false)]
    [InlineData("""{"detail":{"ratio":[{"numeric":["=",0.5]}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"numeric":[">",0]}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"exists":true}]}}""", true)]
    [InlineData("""{"detail":{"missing":[{"exists":true}]}}""", false)]
    [InlineData("""{"detail":{"missing":[{"exists":false}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"exists":false}]}}""", false)]
    [InlineData("""{"detail":{"items":[{"exists":true}]}}""", false)]
    [InlineData("""{"detail":{"sourceIp":[{"cidr":"10.0.0.0/16"}]}}""", true)]
    [InlineData("""{"detail":{"sourceIp":[{"cidr":"10.1.0.0/16"}]}}""", false)]
    [InlineData("""{"detail":{"vault":[{"wildcard":"arn:aws:backup:*:333333333333:backup-vault:*"}]}}""", true)]
    [InlineData("""{"detail":{"vault":[{"wildcard":"arn:aws:backup:*:444444444444:*"}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"wildcard":"COMPLETED"}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"wildcard":"COMP\\*"}]}}""", false)]
    [InlineData("""{"source":["aws.backup"],"$or":[{"detail":{"state":["FAILED"]}},{"detail":{"size":[{"numeric":[">",10]}]}}]}""", true)]
    [InlineData("""{"source":["aws.backup"],"$or":[{"detail":{"state":["FAILED"]}},{"detail":{"size":[{"numeric":[">",100]}]}}]}""", false)]
    [InlineData("""{"detail":{"$or":[{"state":["FAILED"]},{"resourceType":["RDS"]}]}}""", true)]
    [InlineData("""{"resources":[{"prefix":"arn:aws:backup:us-east-2:333333333333:recovery-point:"}]}""", true)]
    public void MatchesAsAwsDocuments(string pattern, bool expected) =>
        Assert.Equal(expected, EventPattern.Parse(pattern).Matches(JsonNode.Parse(Event)));

    [Theory]
    [InlineData("""{"source":"aws.backup"}""")]
    [InlineData("""{}""")]
    [InlineData("""[]""")]
    [InlineData("""{"source":[{"prefix":1}]}""")]
    [InlineData("""{"source":[{"prefix":"a","suffix":"b"}]}""")]
    [InlineData("""{"source":[{"unknown":"a"}]}""")]
    [InlineData("""{"size":[{"numeric":[">"]}]}""")]
    [InlineData("""{"size":[{"numeric":["~",1]}]}""")]
    [InlineData("""{"size":[{"exists":"yes"}]}""")]
    [InlineData("""{"ip":[{"cidr":"10.0.0.0"}]}""")]
    [InlineData("""{"$or":[{"source":["a"]}]}""")]
    [InlineData("""{"source":[{"anything-but":{"unknown":"a"}}]}""")]
    [InlineData("""not json""")]
    public void RefusesPatternsAwsRefuses(string pattern)
    {
        var error = Assert.Throws<AwsServiceException>(() => EventPattern.Parse(pattern));
        Assert.Equal("InvalidEventPatternException", error.Code);
        Assert.StartsWith("Event pattern is not valid. Reason: ", error.Message, StringComparison.Ordinal);
    }
}
