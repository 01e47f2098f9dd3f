using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.AutoScaling;

/// <summary>
/// Auto Scaling policies over boto3 on the sandbox clock (python/scaling_client.py): target tracking made by
/// CloudFormation, driven by the CPU demand admin endpoint; simple and step policies, cooldown, protection and
/// refusals by API. Each scenario moves its own server's clock a minute at a time.
/// </summary>
public sealed class ScalingPolicyTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task Target_tracking_scales_out_after_its_high_alarm_waits_for_warm_up_and_scales_in_after_its_low_alarm()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "scaling_client.py", "tracking", "scaling-tracking");

        Assert.Equal("CREATE_COMPLETE", result.GetProperty("status").GetString());
        Assert.True(result.GetProperty("ref").GetBoolean(), "Ref of AWS::AutoScaling::ScalingPolicy is the policy's ARN, GetAtt PolicyName its name");
        Assert.Equal("[\"TargetTrackingScaling\",300,50.0,[\"AlarmHigh\",\"AlarmLow\"]]", result.GetProperty("policy").GetRawText());
        // The two alarms Auto Scaling makes: 3 of 3 one-minute periods above the target, 15 of 15 below 90 % of it.
        Assert.Equal(
            "[[\"AlarmHigh\",\"CPUUtilization\",\"AWS/EC2\",\"Average\",60,3,\"GreaterThanThreshold\",50,true],[\"AlarmLow\",\"CPUUtilization\",\"AWS/EC2\",\"Average\",60,15,\"LessThanThreshold\",45,true]]",
            result.GetProperty("alarms").GetRawText());

        // Demand of 240 % on 2 instances: 100 % each. Nothing before three high minutes (and the first instances' warm-up);
        // then 2 -> 4 (2 x 100 / 50); 60 % on 4 keeps the alarm high, but the new instances count only after their
        // 300 s warm-up, so the next step, 4 -> 5 (4 x 60 / 50), comes 5 to 7 minutes later; 48 % on 5 is under the target.
        // Samples are [minutes of the sandbox clock since the load changed, desired capacity].
        var scaledOut = Samples(result.GetProperty("out"));
        Assert.All(scaledOut.Where(sample => sample.Minute < 2), sample => Assert.Equal(2, sample.Capacity));
        Assert.Equal([2, 4, 5], scaledOut.Select(sample => sample.Capacity).Distinct().ToArray());
        Assert.InRange(scaledOut.First(sample => sample.Capacity == 5).Minute - scaledOut.First(sample => sample.Capacity == 4).Minute, 5, 7);
        Assert.Equal("OK", result.GetProperty("highState").GetString());

        // Demand of 40 %: 8 % each, under 45 % for the low alarm's 15 one-minute periods (the one the load changed in and
        // 14 more), then in to the minimum (ceil(5 x 8 / 50) = 1 -> 2).
        var scaledIn = Samples(result.GetProperty("in"));
        Assert.All(scaledIn.Where(sample => sample.Minute < 14), sample => Assert.Equal(5, sample.Capacity));
        Assert.All(scaledIn.Where(sample => sample.Minute >= 15), sample => Assert.Equal(2, sample.Capacity));
        Assert.Equal(2, scaledIn[^1].Capacity);
        Assert.Equal(3, result.GetProperty("causes").GetArrayLength());
        Assert.EndsWith("changing the desired capacity from 2 to 4", result.GetProperty("causes")[0].GetString());
        Assert.EndsWith("changing the desired capacity from 5 to 2", result.GetProperty("causes")[2].GetString());
        Assert.Equal("[\"AlarmHigh ALARM\",\"AlarmLow ALARM\"]", result.GetProperty("alarmCauses").GetRawText());
        // Deleting the stack deletes the policy and its alarms.
        Assert.Equal("[\"DELETE_COMPLETE\",0]", result.GetProperty("deleted").GetRawText());
    }

    [Fact]
    public async Task Simple_and_step_policies_scale_by_their_adjustments_within_cooldown_and_protection_and_bad_policies_are_refused()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "scaling_client.py", "api", "scaling-api");

        var refusals = result.GetProperty("refusals").EnumerateArray().Select(refusal => refusal.GetString()!).ToList();
        Assert.All(refusals, refusal => Assert.StartsWith("ValidationError: ", refusal));
        Assert.Contains("PolicyType 'Predictive' is not one of SimpleScaling, StepScaling, TargetTrackingScaling", refusals[0]);
        Assert.Contains("AdjustmentType is not supported for policy type TargetTrackingScaling", refusals[1]);
        Assert.Contains("ResourceLabel is required with PredefinedMetricType ALBRequestCountPerTarget", refusals[2]);
        Assert.Contains("StepAdjustments is required for policy type StepScaling", refusals[3]);
        Assert.Contains("intervals must not overlap", refusals[4]);
        Assert.Contains("AutoScalingGroup no-such-group not found", refusals[5]);
        Assert.Contains("is a target tracking scaling policy", refusals[6]);
        Assert.Contains("Scaling policy never-made not found", refusals[7]);

        // add-one (Cooldown 120): 2 -> 3; honoring the cooldown it is refused; without HonorCooldown it runs (4); after 2 minutes it runs again (5).
        var cooldown = result.GetProperty("cooldown");
        Assert.Equal(3, cooldown[0].GetInt32());
        Assert.StartsWith("ScalingActivityInProgress: ", cooldown[1].GetString());
        Assert.Equal(4, cooldown[2].GetInt32());
        Assert.Equal(5, cooldown[3].GetInt32());

        // Breach 20 -> +1 (6); the breach goes on while the new instance warms up: no second activity; breach 300 -> +3
        // on the 5 warm instances (8).
        Assert.Equal("[\"scaling-api-queue\"]", result.GetProperty("stepAlarms").GetRawText());
        Assert.Equal("[6,6,8]", result.GetProperty("steps").GetRawText());
        Assert.StartsWith("ValidationError: The instance(s) i-0000000000000dead are not part of Auto Scaling group", result.GetProperty("protectionRefused").GetString());
        // ExactCapacity 2 with every instance protected: desired 2, all 8 instances stay.
        Assert.Equal("[2,8,true]", result.GetProperty("protected").GetRawText());
        Assert.Equal("[\"AlarmHigh\"]", result.GetProperty("disableScaleIn").GetRawText());
        Assert.Equal("[\"SimpleScaling\",\"SimpleScaling\",\"StepScaling\",\"TargetTrackingScaling\"]", result.GetProperty("types").GetRawText());
        Assert.Equal("[0,0]", result.GetProperty("afterDelete").GetRawText());
        Assert.Equal("ROLLBACK_COMPLETE", result.GetProperty("badStack")[0].GetString());
        Assert.Contains("ScalingAdjustment is required for policy type SimpleScaling", result.GetProperty("badStack")[1].GetString());
    }

    private static (int Minute, int Capacity)[] Samples(JsonElement array) => array.EnumerateArray().Select(item => (item[0].GetInt32(), item[1].GetInt32())).ToArray();
}
