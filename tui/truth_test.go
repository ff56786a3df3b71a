package tui

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/presets"
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

// The header names each setting once, and its lines do not move as the
// step count grows.
func TestHeaderOnceAndSteady(t *testing.T) {
	m := press(sized(newModel(t, "question", 2), 80, 24), "o", "o", "o", "+", "i")
	h := m.header(80)
	c := m.session.Main().Config()
	if n := strings.Count(h, c.Optimizer); n != 1 || strings.Count(h, "init ") != 1 || strings.Contains(h, "→") {
		t.Fatalf("label %q; header says %s %d times:\n%s", m.session.Label(), c.Optimizer, n, h)
	}
	if strings.Contains(h, "…") {
		t.Fatalf("cut at 80 columns:\n%s", h)
	}
	a := sized(newModel(t, "question", 2), 80, 24)
	b := sized(newModel(t, "question", 3000), 80, 24)
	la, lb := strings.Split(a.header(80), "\n"), strings.Split(b.header(80), "\n")
	before := func(l string) string { s, _, _ := strings.Cut(l, "step "); return s }
	if len(la) != len(lb) || la[0] != lb[0] || before(la[1]) != before(lb[1]) {
		t.Fatalf("the header moved between step 2 and 3,000:\n%s\n%s", a.header(80), b.header(80))
	}
	// Steady without padding: the step count and the rate come last, and
	// no run of blanks stands in for a wider figure.
	for _, l := range append(la, lb...) {
		if strings.Contains(strings.TrimSpace(l), "  ") {
			t.Fatalf("a padding hole in the header line %q", l)
		}
	}
}

// The ramp's first seconds say its pace, not "0 steps/s"; and a ramp that
// starts at a loaded step counts from there.
func TestRampSaysItsPaceAndCountsFromTheLoadedStep(t *testing.T) {
	m := sized(newModel(t, "question", 0), 100, 30)
	ramp := newPace(true, fixedNow)
	m.frame.running, m.frame.rate, m.frame.pace = true, 0, ramp.label()
	if h := m.header(100); strings.Contains(h, " 0 steps/s") || !strings.Contains(h, "1 step / 2 s") {
		t.Fatalf("ramp at its start:\n%s", h)
	}
	p := newPace(true, fixedNow)
	if w, ok := p.want(fixedNow.Add(time.Second), 30_000); ok || w != 0 {
		t.Fatalf("1 s in: %d steps", w)
	}
	if w, ok := p.want(fixedNow.Add(7*time.Second), 30_000); !ok || w != rampSteps(7*time.Second) {
		t.Fatalf("7 s into a ramp from step 30,000: %d steps, want %d", w, rampSteps(7*time.Second))
	}
}

// A race forked at step k draws its new lanes from step k+1 (with "from"
// in the legend), and a lane added with C later from its own fork step;
// lane A keeps its whole history.
func TestRaceLanesStartWhereForked(t *testing.T) {
	p, _ := presets.Get("question-normal-init")
	tr, _ := engine.New(p.Config)
	s := engine.NewSession(tr, "question-normal-init")
	s.Run(300)
	if err := s.Race([]engine.Lane{{Optimizer: "sgd"}, {Optimizer: "adam"}}, 0); err != nil {
		t.Fatal(err)
	}
	s.Run(30)
	if err := s.AddLane(0, "momentum"); err != nil {
		t.Fatal(err)
	}
	s.Run(30)
	var snaps []engine.Snapshot
	for _, l := range s.Lanes() {
		snaps = append(snaps, l.Snapshot())
	}
	for i, want := range []int64{0, 300, 330} {
		if snaps[i].ForkedAt != want {
			t.Fatalf("lane %c forked at %d, want %d", 'A'+i, snaps[i].ForkedAt, want)
		}
		mean, _ := lossColumns(&snaps[i], 360, false)
		for c, v := range mean {
			if drawn := !math.IsNaN(v); drawn != (int64(c+1) > want) {
				t.Fatalf("lane %c (forked at %d): step %d drawn %v", 'A'+i, want, c+1, drawn)
			}
		}
	}
	st := newStyles(0)
	foot := strings.Join(plotLoss(snaps, 90, 20, lossOpts{logY: true}, st, 0).footer, "\n")
	if !strings.Contains(foot, "↑B") || !strings.Contains(foot, "B adam from 301") || !strings.Contains(foot, "C momentum from 331") || strings.Contains(foot, "A sgd from") {
		t.Fatalf("legend:\n%s", foot)
	}
}

// Every label of the fit plot is its row's value as printed, at every
// height (asciigraph rounds rows: a step it cannot hit exactly would put
// "-2" on the row of −2.5).
func TestFitLabelsAreTheirRows(t *testing.T) {
	lowest := math.Log(0.5 / float64(plotColumns(36)))
	for h := 3; h <= 40; h++ {
		lo, hi, rows := fitRange(lowest, h)
		step := (hi - lo) / float64(rows)
		s := engine.Snapshot{}
		for i := 0; i < engine.GridPoints; i++ {
			x := (float64(i) + 0.5) / engine.GridPoints
			s.GridX, s.Target, s.Pred = append(s.GridX, x), append(s.Target, math.Log(x)), append(s.Pred, -1)
		}
		lines := strings.Split(plotFit([]engine.Snapshot{s}, 36, h, newStyles(0), 0).graph, "\n")
		k := 0
		for _, l := range lines {
			i := strings.IndexAny(l, "┤┼")
			if i < 0 {
				continue
			}
			if got, want := strings.TrimSpace(l[:i]), fitRowLabel(hi-float64(k)*step, step); got != want {
				t.Fatalf("h %d (range %g..%g, %d rows): row %d labelled %q, its value %s", h, lo, hi, rows, k, got, want)
			}
			k++
		}
		if k != rows+1 {
			t.Fatalf("h %d: %d labelled rows, want %d", h, k, rows+1)
		}
	}
}
