package engine

import (
	"runtime"
	"testing"
)

// fakeSteps moves every lane of s to step n as far as the timeline can
// tell — the step count and a loss history of n entries — without the
// training: the test counts bytes, and must not depend on the machine's speed.
func fakeSteps(s *Session, n int64) {
	for _, l := range s.lanes {
		for l.rec.hist.Steps < n {
			l.rec.hist.Add(0.5)
		}
		l.rec.step = n
	}
}

// The budget: the question's net (with Adam, the optimizer with the most
// state) keeps every planned moment to 10^7 steps and the last frames, and
// the largest of them times that count at 10^8 stays within TimelineBudget. The bytes the
// timeline counts are checked against the heap's own count.
func TestTimelineMemory(t *testing.T) {
	const end = 10_000_000
	c := DefaultConfig()
	c.Optimizer, c.LR = OptAdam, DefaultLR[OptAdam]
	s := NewSession(mustNew(t, c), "question")
	tl := NewTimeline()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var biggest int64
	for step := int64(0); ; step = NextPlanned(step) {
		fakeSteps(s, step)
		if !tl.Observe(s) {
			t.Fatalf("no moment taken at planned step %d", step)
		}
		biggest = max(biggest, tl.At(tl.Last()).Bytes())
		if step >= end {
			break
		}
	}
	planned := tl.Len()
	for f := int64(1); f <= TimelineFrames; f++ { // and the last frames, past the last planned step
		fakeSteps(s, end+f)
		if !tl.Frame(s) {
			t.Fatalf("no frame kept at step %d", end+f)
		}
		biggest = max(biggest, tl.At(tl.Last()).Bytes())
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	if tl.Thinned() != 0 || planned != PlannedUpTo(end) || tl.Len() != planned+TimelineFrames {
		t.Fatalf("%d moments kept, %d thinned, want all %d planned and %d frames", tl.Len(), tl.Thinned(), PlannedUpTo(end), TimelineFrames)
	}
	if tl.Bytes() > TimelineBudget {
		t.Fatalf("%d bytes at 10^7 steps, budget %d", tl.Bytes(), TimelineBudget)
	}
	proj := biggest * int64(PlannedUpTo(100_000_000)+TimelineFrames)
	if proj > TimelineBudget {
		t.Fatalf("10^8 steps would need %d bytes (%d moments of up to %d), budget %d", proj, PlannedUpTo(1e8)+TimelineFrames, biggest, TimelineBudget)
	}
	// The timeline's own count is honest: the heap grew by about that much
	// (the session's history grew too, by at most one History).
	if heap > 2*tl.Bytes()+1<<20 || heap < tl.Bytes()/2 {
		t.Fatalf("the heap grew %d bytes, the timeline counts %d", heap, tl.Bytes())
	}
	t.Logf("question net, adam, 10^7 steps: %d moments (%d of them frames), %d bytes (largest %d); heap +%d; 10^8 projected %d bytes",
		tl.Len(), TimelineFrames, tl.Bytes(), biggest, heap, proj)
	runtime.KeepAlive(tl)
}

// A big net keeps fewer moments within the budget, thinned in log-steps:
// the first steps and setup changes stay.
func TestTimelineThinsBigNets(t *testing.T) {
	c := DefaultConfig()
	c.Hidden = []int{200, 200}
	c.Optimizer, c.LR = OptAdam, DefaultLR[OptAdam]
	s := NewSession(mustNew(t, c), "big")
	tl := &Timeline{Budget: 40 * momentOf(s, "").Bytes()}
	for step := int64(0); step <= 100_000; step = NextPlanned(step) {
		fakeSteps(s, step)
		tl.Observe(s)
		if step == 501 {
			tl.Mark(s, "lr → 0.01")
		}
	}
	if tl.Bytes() > tl.Budget || tl.Thinned() == 0 {
		t.Fatalf("%d bytes of %d, %d thinned", tl.Bytes(), tl.Budget, tl.Thinned())
	}
	steps := tl.Steps()
	for i := int64(0); i <= 10; i++ {
		if steps[i] != i {
			t.Fatalf("step %d was dropped: %v", i, steps)
		}
	}
	if i, err := tl.Find(501); err != nil || tl.At(i).Why != "lr → 0.01" || steps[len(steps)-1] != 100_000 {
		t.Fatalf("the setup change or the last step was dropped: %v", steps)
	}
	for i := 1; i < len(steps); i++ {
		if steps[i] <= steps[i-1] && tl.At(i).Why == "" {
			t.Fatalf("steps out of order: %v", steps)
		}
	}
}

// A classroom session's budget (8 MB; tui's ServedTimelineBudget): the
// question's net keeps every planned moment to 10^6 steps, and holds the
// budget after; it logs where thinning starts, and where 30 frames of the
// newest moment's size would no longer fit beside the planned ones (the
// figures docs/timeline.md quotes).
func TestTimelineServedBudget(t *testing.T) {
	s := NewSession(mustNew(t, DefaultConfig()), "question")
	tl := &Timeline{Budget: 8 << 20}
	frames, thins := int64(-1), int64(-1)
	for step := int64(0); step <= 100_000_000; step = NextPlanned(step) {
		fakeSteps(s, step)
		tl.Observe(s)
		if frames < 0 && tl.Bytes()+TimelineFrames*tl.At(tl.Last()).Bytes() > tl.Budget {
			frames = step
		}
		if thins < 0 && tl.Thinned() > 0 {
			thins = step
		}
		if tl.Bytes() > tl.Budget {
			t.Fatalf("step %d: %d bytes kept, budget %d", step, tl.Bytes(), tl.Budget)
		}
	}
	if thins >= 0 && thins <= 1_000_000 {
		t.Fatalf("the 8 MB budget thins from step %d", thins)
	}
	t.Logf("8 MB, the question's net (sgd): thinning starts at step %d without frames; 30 frames no longer fit beside the planned moments from step %d; %d moments at 10^8 (%d thinned)",
		thins, frames, tl.Len(), tl.Thinned())
}
