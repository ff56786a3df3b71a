package runner

import (
	"strings"
	"testing"

	"lnfit/engine"
)

// A lesson's rewind branches from the moment kept at that step: after
// `rewind 10`, 40 more steps are exactly the run's step 50 before the lesson
// swapped the optimizer (the chunks the runner cut at planned steps change
// nothing), and the swap is on the timeline as a setup change.
func TestLessonRewindIsTheRunAtThatStep(t *testing.T) {
	l, err := ParseLesson("t", "run 50\nset optimizer adam\nrun 20\nrewind 10\nrun 40\nsay {optimizer} {step}\nwait")
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := engine.New(engine.DefaultConfig())
	r := New(engine.NewSession(tr, "question"), l)
	if r.Timeline == nil {
		t.Fatal("a lesson with rewind got no timeline")
	}
	r.Advance(Budget{})
	if !r.Waiting || r.Caption != "sgd 50" {
		t.Fatalf("caption %q (err %v)", r.Caption, r.Err)
	}
	plain, _ := engine.New(engine.DefaultConfig())
	plain.Run(50)
	if !same(plain.Network().Params, r.Session.Main().Network().Params) {
		t.Fatal("rewind 10 + 40 steps is not the uninterrupted run's step 50")
	}
	marked := false
	for i := range r.Timeline.Len() {
		marked = marked || r.Timeline.At(i).Why == "optimizer → adam" && r.Timeline.At(i).Step == 50
	}
	if !marked {
		t.Fatalf("the optimizer swap is not on the timeline: %v", r.Timeline.Steps())
	}
}

func same(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// rewind takes a step, and without a kept moment says so instead of guessing.
func TestRewindErrors(t *testing.T) {
	if _, err := ParseLesson("t", "rewind soon"); err == nil || !strings.Contains(err.Error(), "not a step") {
		t.Fatalf("rewind soon: %v", err)
	}
	tr, _ := engine.New(engine.DefaultConfig())
	r := New(engine.NewSession(tr, "question"), nil)
	if err := r.Rewind(3, 0); err == nil || !strings.Contains(err.Error(), "no timeline") {
		t.Fatalf("no timeline: %v", err)
	}
	r.Timeline = engine.NewTimeline()
	r.Steps = 5
	r.Advance(Budget{})
	if err := r.Rewind(3, 0); err != nil || r.Session.Step() != 3 {
		t.Fatalf("rewind 3: %v, at step %d", err, r.Session.Step())
	}
}

// rewind STEP back 1 is that step of the run before the last restart: the
// question's collapse again after the lesson moved on to another init.
func TestRewindBackIsTheRunBeforeTheRestart(t *testing.T) {
	l, err := ParseLesson("t", "run 20\nset init normal\nrun 30\nrewind 5 back 1\nsay {step}\nwait")
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := engine.New(engine.DefaultConfig())
	r := New(engine.NewSession(tr, "question"), l)
	r.Advance(Budget{})
	plain, _ := engine.New(engine.DefaultConfig())
	plain.Run(5)
	main := r.Session.Main()
	if r.Caption != "5" || main.Config().Init != engine.DefaultConfig().Init || !same(plain.Network().Params, main.Network().Params) {
		t.Fatalf("caption %q, init %s (err %v): not step 5 of the first run", r.Caption, main.Config().Init, r.Err)
	}
	if err := r.Rewind(5, 9); err == nil || !strings.Contains(err.Error(), "fewer restarts") {
		t.Fatalf("rewind 5 back 9: %v", err)
	}
	if _, err := ParseLesson("t", "rewind 5 back x"); err == nil {
		t.Fatal("rewind 5 back x parsed")
	}
}

// The step loop with and without a timeline: the moments are taken between
// chunks, at planned steps, so the cost per step should not move (compare
// the two ns/step figures; nothing here asserts a time).
func BenchmarkAdvanceTimeline(b *testing.B) {
	for _, keep := range []bool{false, true} {
		b.Run(map[bool]string{false: "off", true: "on"}[keep], func(b *testing.B) {
			const steps = 200_000
			for range b.N {
				tr, _ := engine.New(engine.DefaultConfig())
				r := New(engine.NewSession(tr, "question"), nil)
				if keep {
					r.Timeline = engine.NewTimeline()
				}
				r.Advance(Budget{Steps: steps})
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*steps), "ns/step")
		})
	}
}
