package tui

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// A verdict's advice names only keys that work for this viewer now: in a
// lesson, i is the lesson's, so a collapsed run does not say "try i".
func TestVerdictAdviceIsAKeyThatWorks(t *testing.T) {
	free := sized(newModel(t, "question", 300), 100, 30)
	if v := free.render(); !strings.Contains(v, "collapsed") || !strings.Contains(v, "try i (init)") {
		t.Fatalf("a free run's collapse should advise i:\n%s", v)
	}
	l, err := runner.GetLesson("seed-story")
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := engine.New(engine.DefaultConfig())
	m := New(engine.NewSession(tr, "question"), Options{Lesson: l, StartPaused: true})
	m.now = func() time.Time { return fixedNow }
	m.session.Main().Run(300) // the lesson's run, collapsed
	m.refresh()
	m = sized(m, 100, 30)
	v := m.render()
	if !strings.Contains(v, "collapsed") || strings.Contains(v, "try i") {
		t.Fatalf("in a lesson, i is refused, so the verdict must not offer it:\n%s", v)
	}
	if a := m.resolve("i"); a == nil || m.works(a) {
		t.Fatal("the test's premise: i is refused in a lesson")
	}
}

// The divergent preset is "diverging — lower the lr (-)" long before its
// loss overflows, and never "collapsed … try i".
func TestDivergingVerdictOnScreen(t *testing.T) {
	m := sized(newModel(t, "divergent", 20), 100, 30)
	v := m.render()
	if !strings.Contains(v, "diverging: the loss grew ×") || !strings.Contains(v, "lower the lr (-)") || strings.Contains(v, "try i") {
		t.Fatalf("step 20 of divergent:\n%s", v)
	}
}

// The lab before any step shows — for the step's figures, and its note is
// computed from the weights: 100% of W1 > 0 under uniform, the normal
// init's own share under normal.
func TestLabSaysWhatTheWeightsAre(t *testing.T) {
	m := press(sized(newModel(t, "question", 0), 100, 30), "h")
	v := m.render()
	for _, want := range []string{"‖ΔW‖/‖W‖ —", "‖∇‖ —", "W1 is 100% > 0 now", "min", "max", "as U[0,1) draws them"} {
		if !strings.Contains(v, want) {
			t.Errorf("uniform, step 0: no %q in\n%s", want, v)
		}
	}
	if strings.Contains(v, "0.0000 ") && strings.Contains(v, "‖∇‖ 0.0000") {
		t.Errorf("a gradient shown before any step:\n%s", v)
	}
	n := press(sized(newModel(t, "question-normal-init", 0), 100, 30), "h")
	lv := n.frame.lab[0]
	pos := 0
	for _, w := range lv.W {
		if w > 0 {
			pos++
		}
	}
	v = n.render()
	want := fmt.Sprintf("W1 is %d%% > 0 now", 100*pos/len(lv.W))
	if !strings.Contains(v, want) || strings.Contains(v, "U[0,1)") {
		t.Errorf("normal init: want %q and no U[0,1) story in\n%s", want, v)
	}
}

// The error view: decade labels fitted to the error it shows (not down to
// 1e-8 for a net whose error is above 1e-3), and x = 0.01 marked.
func TestErrorViewFitsItsData(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m := press(sized(newModel(t, "question-normal-init", 3000), size[0], size[1]), "e")
		v := m.render()
		var labels []string
		for _, l := range strings.Split(v, "\n") {
			if i := strings.IndexAny(l, "┤┼"); i > 0 {
				if lab := strings.TrimSpace(l[:i]); lab != "" {
					labels = append(labels, lab)
				}
			}
		}
		s := m.snap()
		worst, best := 0.0, 1e300
		for i := range s.Pred {
			e := s.Pred[i] - s.Target[i]
			e = max(e, -e)
			worst, best = max(worst, e), min(best, e)
		}
		if len(labels) < 2 || !strings.Contains(v, "┊") || !strings.Contains(v, "0.01") {
			t.Fatalf("%v: labels %v, view\n%s", size, labels, v)
		}
		if best > 1e-3 && strings.Contains(strings.Join(labels, " "), "1e-8") {
			t.Errorf("%v: runs to 1e-8 while the least error is %.2g: %v", size, best, labels)
		}
		if labels[0] != decadeLabel(int(math.Ceil(math.Log10(worst)))) {
			t.Errorf("%v: top label %s, the largest error %.3g", size, labels[0], worst)
		}
	}
}
