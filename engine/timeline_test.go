package engine

import (
	"fmt"
	"math"
	"testing"
)

// sameLane says how two trainers differ in anything a later step reads
// ("" none): weights, optimizer state, streams, step and record.
func sameLane(a, b *Trainer) string {
	switch {
	case !sameFloats(a.net.Params, b.net.Params):
		return "weights"
	case !sameFloats(a.grads, b.grads):
		return "last step's gradient"
	case a.cfg.Optimizer != b.cfg.Optimizer || a.cfg.LR != b.cfg.LR:
		return "optimizer or lr"
	case optStateLen(a.opt) != optStateLen(b.opt) || fmt.Sprintf("%v", a.opt) != fmt.Sprintf("%v", b.opt):
		return "optimizer state"
	case *a.batchSrc != *b.batchSrc || *a.dropSrc != *b.dropSrc:
		return "batch or dropout stream"
	case a.rec.step != b.rec.step || math.Float64bits(a.rec.lastLoss) != math.Float64bits(b.rec.lastLoss):
		return "step or last loss"
	case fmt.Sprint(a.rec.hist.Buckets, a.rec.hist.Log) != fmt.Sprint(b.rec.hist.Buckets, b.rec.hist.Log):
		return "loss history"
	case fmt.Sprint(a.rec.diedAt, a.rec.units, a.rec.recent) != fmt.Sprint(b.rec.diedAt, b.rec.units, b.rec.recent):
		return "deaths or recent losses"
	}
	return ""
}

func sameSession(t *testing.T, what string, a, b *Session) {
	t.Helper()
	if len(a.lanes) != len(b.lanes) || a.Label() != b.Label() {
		t.Fatalf("%s: %d lanes %q vs %d lanes %q", what, len(a.lanes), a.Label(), len(b.lanes), b.Label())
	}
	for i := range a.lanes {
		if d := sameLane(a.lanes[i], b.lanes[i]); d != "" {
			t.Fatalf("%s: lane %d differs in its %s", what, i, d)
		}
	}
}

// trainObserved trains s to step end, ending chunks at the planned steps as
// the runner does, and keeps its moments in tl.
func trainObserved(s *Session, tl *Timeline, end int64) {
	for {
		tl.Observe(s)
		step := s.Step()
		if step >= end {
			return
		}
		s.Run(int(min(NextPlanned(step), end) - step))
	}
}

// The test: branch at step k, train n steps, and every lane equals
// the uninterrupted run's step k+n, bit for bit: for every optimizer (one
// with dropout, so its stream is restored too) and for a race.
func TestTimelineBranchIsTheUninterruptedRun(t *testing.T) {
	const k, end = 45, 300 // 45 is a planned step
	cases := map[string]func() *Session{}
	for _, o := range Optimizers {
		cases[o] = func() *Session {
			c := answerLike(20)
			c.Optimizer, c.LR = o, DefaultLR[o]
			if o == OptMomentum {
				c.Dropout = 0.1
			}
			return NewSession(mustNew(t, c), "answer")
		}
	}
	cases["race"] = func() *Session {
		s := NewSession(mustNew(t, DefaultConfig()), "question")
		s.Run(3)
		if err := s.Race([]Lane{{Optimizer: OptSGD}, {Optimizer: OptAdam}, {Optimizer: OptNesterov}, {Optimizer: OptRMSProp}}, 0); err != nil {
			t.Fatal(err)
		}
		return s
	}
	for name, mk := range cases {
		s, tl := mk(), NewTimeline()
		trainObserved(s, tl, end)
		i, err := tl.Find(k)
		if err != nil || tl.At(i).Step != k {
			t.Fatalf("%s: no moment at step %d (%v): %v", name, k, err, tl.Steps())
		}
		b, err := tl.At(i).Session()
		if err != nil {
			t.Fatal(err)
		}
		if b.Step() != k {
			t.Fatalf("%s: the branch starts at step %d, not %d", name, b.Step(), k)
		}
		b.Run(end - k)
		sameSession(t, name+" (a new session from the moment)", s, b)

		// Restore in place, as the dashboard's enter does, twice from the same moment.
		live := s.Clone()
		for range 2 {
			if err := s.Restore(tl.At(i)); err != nil {
				t.Fatal(err)
			}
			s.Run(end - k)
			sameSession(t, name+" (restored in place)", live, s)
		}
	}
}

// Every step to 10 is planned, then about TimelinePerDecade a decade.
func TestTimelinePlan(t *testing.T) {
	for s := int64(0); s <= 10; s++ {
		if !Planned(s) {
			t.Fatalf("step %d is not planned", s)
		}
	}
	if Planned(-1) || Planned(12) {
		t.Fatal("-1 or 12 is planned")
	}
	for d := int64(10); d < 1e8; d *= 10 {
		if n := PlannedUpTo(10*d) - PlannedUpTo(d); n != TimelinePerDecade {
			t.Fatalf("%d planned steps in (%d, %d], want %d", n, d, 10*d, TimelinePerDecade)
		}
	}
	for s := int64(0); s < 5000; s++ {
		if n := NextPlanned(s); n <= s || !Planned(n) {
			t.Fatalf("NextPlanned(%d) = %d", s, n)
		}
	}
}

// A moment is a copy: training on after it, or a branch of it, changes nothing in it.
func TestMomentIsACopy(t *testing.T) {
	s := NewSession(mustNew(t, answerLike(10)), "answer")
	s.Run(5)
	tl := NewTimeline()
	tl.Mark(s, "test")
	want := s.Clone()
	s.Run(50)
	b, err := tl.At(0).Session()
	if err != nil {
		t.Fatal(err)
	}
	b.Run(7)
	c, _ := tl.At(0).Session()
	sameSession(t, "the moment after training on", want, c)
	if tl.At(0).Why != "test" || tl.At(0).Step != 5 {
		t.Fatalf("moment %+v", tl.At(0))
	}
}

// A loaded network's timeline starts at its own step, planned or not; a
// branch to an unplanned step starts a new stretch there.
func TestTimelineStartsWhereTheRunIs(t *testing.T) {
	tr := mustNew(t, DefaultConfig())
	if err := tr.LoadNetwork(tr.Network(), 12_345); err != nil {
		t.Fatal(err)
	}
	s, tl := NewSession(tr, "loaded"), NewTimeline()
	if !tl.Observe(s) || tl.At(0).Step != 12_345 {
		t.Fatalf("the loaded step is not kept: %v", tl.Steps())
	}
	s.Run(1)
	if tl.Observe(s) {
		t.Fatal("an unplanned step after the start was kept")
	}
	trainObserved(s, tl, 13_000)
	if _, err := tl.Find(12_000); err == nil {
		t.Fatal("found a moment before the loaded step")
	}
}

// The what-if a branch invites: from a moment, a change of optimizer, of
// learning rate or a race trains on the same batches as the run did (its
// batch stream is the uninterrupted run's, step for step), and so does a
// change of init or activation from step 0 (a restart with the same seed);
// a change of batch size does not.
func TestTimelineWhatIfSeesTheSameBatches(t *testing.T) {
	const end = 120
	s, tl := NewSession(mustNew(t, DefaultConfig()), "question"), NewTimeline()
	trainObserved(s, tl, end)
	changes := []struct {
		name, value string
		at          int64
		same        bool
	}{
		{"optimizer", OptAdam, 45, true}, {"lr", "0.05", 45, true}, {"race", "", 45, true},
		{"init", "normal", 0, true}, {"activation", "tanh", 0, true}, {"batch", "100", 45, false},
	}
	for _, c := range changes {
		i, err := tl.Find(c.at)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := tl.At(i).Session()
		if c.name == "race" {
			err = b.Race([]Lane{{Optimizer: OptSGD}, {Optimizer: OptAdam}}, 0)
		} else {
			err = b.Set(c.name, c.value, AllLanes)
		}
		if err != nil {
			t.Fatal(err)
		}
		b.Run(int(end - c.at))
		for l, lane := range b.Lanes() {
			if same := *lane.batchSrc == *s.Main().batchSrc; same != c.same {
				t.Errorf("%s %s at step %d, lane %d: the same batches as the run: %v, want %v", c.name, c.value, c.at, l, same, c.same)
			}
		}
	}
}

// The last frames: one moment each, at most TimelineFrames of them (the
// oldest goes first, the planned moments stay), none at a step already
// kept, and a branch from one is the uninterrupted run bit for bit.
func TestTimelineKeepsTheLastFrames(t *testing.T) {
	s, tl := NewSession(mustNew(t, answerLike(10)), "answer"), NewTimeline()
	trainObserved(s, tl, 100)
	planned := tl.Len()
	if tl.Frame(s) {
		t.Fatal("a frame at the newest moment's step was kept")
	}
	var frames []int64
	for range TimelineFrames + 7 {
		s.Run(3)
		if !tl.Frame(s) {
			t.Fatalf("the frame at step %d was not kept", s.Step())
		}
		frames = append(frames, s.Step())
	}
	kept := 0
	for i := range tl.Len() {
		if tl.At(i).Frame {
			kept++
			if tl.At(i).Step <= frames[6] {
				t.Fatalf("an old frame (step %d) is still kept: %v", tl.At(i).Step, tl.Steps())
			}
		}
	}
	if kept != TimelineFrames || tl.Len() != planned+TimelineFrames || tl.Thinned() != 0 {
		t.Fatalf("%d frames kept of %d moments (%d thinned), want %d frames beside %d planned", kept, tl.Len(), tl.Thinned(), TimelineFrames, planned)
	}
	live := s.Clone()
	i, _ := tl.Find(frames[20])
	b, err := tl.At(i).Session()
	if err != nil || !tl.At(i).Frame || b.Step() != frames[20] {
		t.Fatalf("no frame at step %d: %v", frames[20], err)
	}
	b.Run(int(live.Step() - b.Step()))
	sameSession(t, "a branch from a frame", live, b)
}

// A moment looked at is the run at that step: every figure of its snapshot
// (the last step's gradient norms among them, which live in a buffer the
// trainer rebuilds) equals the live run's at the step, for every optimizer
// and for each lane of a race.
func TestMomentSnapshotIsTheLiveOne(t *testing.T) {
	cases := map[string]*Session{"race": NewSession(mustNew(t, DefaultConfig()), "question")}
	if err := cases["race"].Race([]Lane{{Optimizer: OptSGD}, {Optimizer: OptAdam}}, 0); err != nil {
		t.Fatal(err)
	}
	for _, o := range Optimizers {
		c := DefaultConfig()
		c.Optimizer, c.LR = o, DefaultLR[o]
		cases[o] = NewSession(mustNew(t, c), o)
	}
	for name, s := range cases {
		tl := NewTimeline()
		for _, k := range []int64{1, 5, 40} {
			trainObserved(s, tl, k)
			i, err := tl.Find(k)
			if err != nil || tl.At(i).Step != k {
				t.Fatalf("%s: no moment at step %d: %v", name, k, err)
			}
			b, err := tl.At(i).Session()
			if err != nil {
				t.Fatal(err)
			}
			for l := range s.Lanes() {
				live, at := s.Lane(l).Snapshot(), b.Lane(l).Snapshot()
				if live.Metrics.GradNorm == 0 {
					t.Fatalf("%s lane %d step %d: the live gradient norm is 0, so this test tells nothing", name, l, k)
				}
				if w, g := fmt.Sprintf("%+v", live), fmt.Sprintf("%+v", at); w != g {
					t.Fatalf("%s lane %d step %d: the moment's snapshot differs from the live one\nlive   %+v\nmoment %+v", name, l, k, live.Metrics, at.Metrics)
				}
			}
		}
	}
}
