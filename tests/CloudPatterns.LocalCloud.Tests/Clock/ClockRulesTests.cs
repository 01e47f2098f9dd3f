namespace CloudPatterns.LocalCloud.Tests.Clock;

/// <summary>
/// The simulated clock's rules on a real time the test drives: it runs at its scale, skips ahead only when auto-advance
/// is on and LocalCloud has been idle, lands exactly on the next due time (never past it), never goes back, and a
/// manual move turns auto-advance off.
/// </summary>
public sealed class ClockRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_clock_runs_scale_times_as_fast_as_real_time()
    {
        var real = new ManualTime(Start);
        var clock = new LocalCloudClock(60, real);
        Assert.Equal(Start, clock.GetUtcNow());

        real.Now += TimeSpan.FromSeconds(10);

        Assert.Equal(Start + TimeSpan.FromMinutes(10), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(590), clock.Offset);
    }

    [Fact]
    public void At_scale_one_the_clock_is_real_time_plus_what_it_was_moved()
    {
        var real = new ManualTime(Start);
        var clock = new LocalCloudClock(real: real);
        real.Now += TimeSpan.FromHours(1);
        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(Start + TimeSpan.FromMinutes(65), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromMinutes(5), clock.Offset);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(LocalCloudClock.MaxScale + 1)]
    public void A_scale_outside_one_to_the_maximum_is_refused(int scale) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LocalCloudClock(scale));

    [Fact]
    public void Auto_advance_skips_exactly_to_the_next_due_time_once_idle()
    {
        var real = new ManualTime(Start);
        var clock = new LocalCloudClock(real: real);
        clock.EnableAutoAdvance();
        var due = Start + TimeSpan.FromMinutes(6);

        clock.NoteActivity();
        real.Now += TimeSpan.FromMilliseconds(900);
        Assert.False(clock.MayAutoAdvance);
        Assert.False(clock.TryAutoAdvance(due));
        Assert.Equal(Start + TimeSpan.FromMilliseconds(900), clock.GetUtcNow());

        real.Now += TimeSpan.FromMilliseconds(100);
        Assert.True(clock.MayAutoAdvance);
        Assert.True(clock.TryAutoAdvance(due));
        Assert.Equal(due, clock.GetUtcNow());
    }

    [Fact]
    public void Auto_advance_never_moves_the_clock_back_nor_without_a_due_time()
    {
        var real = new ManualTime(Start);
        var clock = new LocalCloudClock(real: real);
        clock.EnableAutoAdvance();
        real.Now += TimeSpan.FromSeconds(5);
        var now = clock.GetUtcNow();

        Assert.False(clock.TryAutoAdvance(now - TimeSpan.FromMinutes(1)));
        Assert.False(clock.TryAutoAdvance(now));
        Assert.False(clock.TryAutoAdvance(null));
        Assert.Equal(now, clock.GetUtcNow());
    }

    [Fact]
    public void Without_auto_advance_the_clock_does_not_skip()
    {
        var real = new ManualTime(Start);
        var clock = new LocalCloudClock(real: real);
        real.Now += TimeSpan.FromSeconds(5);

        Assert.False(clock.AutoAdvance);
        Assert.False(clock.TryAutoAdvance(Start + TimeSpan.FromHours(1)));
        Assert.Equal(Start + TimeSpan.FromSeconds(5), clock.GetUtcNow());
    }

    [Fact]
    public void Moving_the_clock_by_hand_turns_auto_advance_off_and_it_never_goes_back()
    {
        var real = new ManualTime(Start);
        var clock = new LocalCloudClock(real: real);
        clock.EnableAutoAdvance();
        clock.Advance(TimeSpan.FromHours(1));
        real.Now += TimeSpan.FromSeconds(5);

        Assert.False(clock.AutoAdvance);
        Assert.False(clock.TryAutoAdvance(Start + TimeSpan.FromHours(2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromTicks(-1)));
        Assert.Equal(Start + TimeSpan.FromHours(1) + TimeSpan.FromSeconds(5), clock.GetUtcNow());
    }

    /// <summary>A real time the test sets.</summary>
    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
