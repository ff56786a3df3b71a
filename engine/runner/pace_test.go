package runner

import (
	"sync"
	"testing"
	"time"

	"lnfit/engine"
)

// fakeClock is a clock that moves only when a step "costs" something.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// costly is a runner whose every step really trains and costs *cost on clock.
func costly(t *testing.T, clock *fakeClock, cost *time.Duration) *Runner {
	t.Helper()
	tr, err := engine.New(engine.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	r := New(engine.NewSession(tr, "question"), nil)
	r.now = clock.Now
	r.steps = func(n int) int {
		took := r.Session.Run(n)
		clock.Add(time.Duration(took) * *cost)
		return took
	}
	return r
}

// Repro 18.3: a run trains at batch 1 (20 µs a step here), then its step
// becomes 18 ms (tanh, batch 10000). The next 28 ms chunk takes at most one
// step more than fits, not the ~1,400 that the old per-step estimate planned.
func TestChunkIsBoundedInTimeWhenStepsGetSlow(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0)}
	cost := 20 * time.Microsecond
	r := costly(t, clock, &cost)
	const budget = 28 * time.Millisecond
	for i := 0; i < 3; i++ { // a few fast frames: whatever estimate there is, it is of fast steps
		t0 := clock.Now()
		n := r.Advance(Budget{Time: budget})
		if el := clock.Now().Sub(t0); el > budget+cost || n < int64(budget/cost)/2 {
			t.Fatalf("fast frame %d: %d steps in %v of a %v budget", i, n, el, budget)
		}
	}
	cost = 18 * time.Millisecond
	for i := 0; i < 3; i++ {
		t0 := clock.Now()
		n := r.Advance(Budget{Time: budget})
		if el := clock.Now().Sub(t0); el > budget+cost || n < 1 || n > 2 {
			t.Fatalf("slow frame %d: %d steps in %v of a %v budget (a step costs %v)", i, n, el, budget, cost)
		}
	}
}

// A slow chunk looks at the driver's stop between steps: with an 18 ms step
// and a one-second budget, stop is asked at least every 50 ms (plus a step),
// and the chunk ends at the first true.
func TestSlowChunkAsksStopBetweenSteps(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0)}
	cost := 18 * time.Millisecond
	r := costly(t, clock, &cost)
	var asked []time.Time
	stop := func() bool {
		asked = append(asked, clock.Now())
		return r.Session.Step() >= 7
	}
	start := clock.Now()
	n := r.Advance(Budget{Time: time.Second, Stop: stop})
	if n < 7 || n > 8 {
		t.Fatalf("stop true from step 7: the chunk took %d steps", n)
	}
	prev := start
	for i, at := range asked {
		if gap := at.Sub(prev); gap > 50*time.Millisecond+cost {
			t.Fatalf("stop call %d came %v after the one before", i, gap)
		}
		prev = at
	}
}

// A Pacer starts at one step, never more than doubles, and fits the time
// left at the last measured cost.
func TestPacerPlansFromWhatItMeasured(t *testing.T) {
	var p Pacer
	if n := p.Next(1000, time.Second); n != 1 {
		t.Fatalf("first sub-run %d steps, want 1", n)
	}
	p.Took(1, time.Microsecond)
	if n := p.Next(1000, time.Second); n != 2 {
		t.Fatalf("second sub-run %d steps, want 2 (at most double)", n)
	}
	p.Took(64, 64*time.Millisecond)
	if n := p.Next(1000, 10*time.Millisecond); n != 10 {
		t.Fatalf("1 ms steps, 10 ms left: %d steps, want 10", n)
	}
	p.Took(10, time.Second)
	if n := p.Next(1000, 10*time.Millisecond); n != 1 {
		t.Fatalf("steps slower than the time left: %d steps, want 1", n)
	}
	if n := p.Next(0, time.Second); n != 0 {
		t.Fatalf("nothing allowed: %d steps", n)
	}
}

// A lesson that makes steps slow in the middle of one Advance (set batch
// 10000 after a fast run) gets a fresh estimate at that command: the slow
// part's first sub-run is one step, not a fast run's hundreds.
func TestLessonCommandResetsTheEstimate(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0)}
	cost := 20 * time.Microsecond
	r := costly(t, clock, &cost)
	l, err := ParseLesson("t", "run 500\nset batch 100\nrun 500")
	if err != nil {
		t.Fatal(err)
	}
	r.Lesson = l
	inner := r.steps
	var sizes []int
	r.steps = func(n int) int {
		if r.Session.Main().Config().Batch == 100 {
			cost = 18 * time.Millisecond
		}
		sizes = append(sizes, n)
		return inner(n)
	}
	r.Advance(Budget{Time: time.Second})
	slowStart := -1
	total := 0
	for i, n := range sizes {
		total += n
		if total > 500 {
			slowStart = i
			break
		}
	}
	if slowStart < 0 || sizes[slowStart] != 1 {
		t.Fatalf("sub-runs %v: the slow part did not start with one step", sizes)
	}
}
