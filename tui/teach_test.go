package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/presets"
)

// checkUncut fails if anything on screen was cut (truncate marks every cut
// with "…") or drawn outside the terminal.
func checkUncut(t *testing.T, view string, w, h int) {
	t.Helper()
	checkFits(t, view, w, h)
	for i, l := range strings.Split(view, "\n") {
		if strings.Contains(l, "…") {
			t.Fatalf("line %d is cut: %q", i, l)
		}
	}
	if strings.Contains(view, "\x1b[") {
		t.Fatal("escape codes in a colourless view")
	}
}

// The screens a class sees, at 80×24 and 100×30: each fits, nothing is cut,
// and each is held by a golden file.
func TestTeachingGoldens(t *testing.T) {
	screens := map[string]func(w, h int) Model{
		"step0": func(w, h int) Model { return sized(newModel(t, "question", 0), w, h) },
		"step1": func(w, h int) Model { return sized(newModel(t, "question", 1), w, h) },
		"step2": func(w, h int) Model { return sized(newModel(t, "question", 2), w, h) },
		"help":  func(w, h int) Model { return press(sized(newModel(t, "question", 2), w, h), "?") },
		"race4": func(w, h int) Model {
			m := press(sized(newModel(t, "question-normal-init", 200), w, h), "c", "C", "C", "n", "n")
			return m
		},
		"lab":   func(w, h int) Model { return press(sized(newModel(t, "question", 1), w, h), "h") },
		"error": func(w, h int) Model { return press(sized(newModel(t, "question-normal-init", 3000), w, h), "e") },
		"lesson": func(w, h int) Model {
			l, _ := runner.GetLesson("seed-story")
			tr, _ := engine.New(engine.DefaultConfig())
			m := New(engine.NewSession(tr, "question"), Options{Lesson: l, StartPaused: true})
			m.now = func() time.Time { return fixedNow }
			m.msg = ""
			return sized(m, w, h)
		},
		"classroom": func(w, h int) Model {
			l, _ := runner.GetLesson("seed-story")
			tr, _ := engine.New(engine.DefaultConfig())
			m := New(engine.NewSession(tr, "question"), Options{Lesson: l, StartPaused: true, Classroom: true})
			m.now = func() time.Time { return fixedNow }
			m.msg = ""
			return sized(m, w, h)
		},
	}
	for name, make := range screens {
		for _, size := range [][2]int{{80, 24}, {100, 30}} {
			t.Run(fmt.Sprintf("%s_%dx%d", name, size[0], size[1]), func(t *testing.T) {
				m := make(size[0], size[1])
				m = quiet(m) // messages wrap and fade; the screens themselves are what is held here
				v := m.render()
				checkUncut(t, v, size[0], size[1])
				golden(t, fmt.Sprintf("%s_%dx%d", name, size[0], size[1]), v)
			})
		}
	}
}

// The full help lists every key of the README's table at 80×24 on its
// first screen, with no row twice.
func TestHelpListsEveryKeyAt80x24(t *testing.T) {
	m := press(sized(newModel(t, "question", 2), 80, 24), "c", "?")
	v := m.render()
	for _, k := range []string{"space", "n ", "> <", "r R", "p ", "L ", "o O", "+ -", "] [", "i I", "a ", "y Y", "c ", "C ", "tab", "h ", "e ", "m ", "l ", "x ", "s ", "w ", "? ", "q "} {
		if !strings.Contains(v, " "+k) {
			t.Errorf("help at 80×24 lacks %q", k)
		}
	}
	seen := map[string]bool{}
	for _, l := range strings.Split(v, "\n") {
		for _, cell := range strings.Split(strings.TrimSpace(l), "   ") {
			cell = strings.TrimSpace(cell)
			if cell != "" && seen[cell] && strings.Contains(cell, " ") {
				t.Errorf("help row %q twice", cell)
			}
			seen[cell] = true
		}
	}
	checkUncut(t, v, 80, 24)
	// Scrolling reaches the token.
	for i := 0; i < 30; i++ {
		m = press(m, "down")
	}
	if !strings.Contains(m.render(), "lnfit1-") {
		t.Fatal("scrolling the help does not reach the config token")
	}
}

// Step 1's loss (11,561 on seed 1) stays in the plotted series after 10^7
// steps, in both step axes.
func TestStepOnesLossStaysPlotted(t *testing.T) {
	tr, _ := engine.New(engine.DefaultConfig())
	tr.Run(1)
	first := tr.LastLoss()
	s := tr.Snapshot()
	h := engine.NewHistory()
	h.Add(first)
	for i := 1; i < 10_000_000; i++ {
		h.Add(1 + 0.1*math.Sin(float64(i)))
	}
	s.History, s.LogHistory, s.Step = h.Buckets, h.Log, h.Steps
	for _, logX := range []bool{false, true} {
		_, top := lossColumns(&s, 60, logX)
		if top[0] != first {
			t.Fatalf("logX %v: the first column's largest loss is %v, want step 1's %v", logX, top[0], first)
		}
	}
	p := plotLoss([]engine.Snapshot{s}, 80, 20, lossOpts{logY: true}, newStyles(0), 0)
	if !strings.Contains(p.graph, realUnits(first)) && !strings.Contains(p.graph, "1.2e+4") {
		t.Fatalf("the y axis does not reach step 1's loss %v:\n%s", first, p.graph)
	}
}

// + and - walk a 1–2–5 ladder from 1e-6 to 10 and say when they are at its end.
func TestLRLadder(t *testing.T) {
	m := sized(newModel(t, "answer", 0), 100, 30)
	m = press(m, "-")
	if lr := m.session.Main().Config().LR; lr != 5e-5 {
		t.Fatalf("- from 1e-4: %g", lr)
	}
	m = press(m, "+", "+", "+")
	if lr := m.session.Main().Config().LR; lr != 5e-4 {
		t.Fatalf("+ + + from 5e-5: %g", lr)
	}
	for i := 0; i < 40; i++ {
		m = press(m, "+")
	}
	if lr := m.session.Main().Config().LR; lr != 10 || !strings.Contains(m.msg, "largest") {
		t.Fatalf("top of the ladder: %g, %q", lr, m.msg)
	}
}

// The first-minute ramp holds steps 0, 1 and 2 for two seconds each, then
// doubles each second.
func TestRampSchedule(t *testing.T) {
	for sec, want := range map[float64]int64{0: 0, 1.9: 0, 2: 1, 3.9: 1, 4: 2, 5.9: 2, 6: 3, 7: 7, 14: 1023} {
		if got := rampSteps(time.Duration(sec * float64(time.Second))); got != want {
			t.Errorf("rampSteps(%vs) = %d, want %d", sec, got, want)
		}
	}
}

// In a race, where lanes coincide, the draw order rotates so each lane is
// on top in turn.
func TestRaceLanesTakeTurnsOnTop(t *testing.T) {
	m := press(sized(newModel(t, "question-normal-init", 50), 100, 30), "c", "C")
	seen := map[rune]bool{}
	for rot := 0; rot < 3; rot++ {
		p := plotFit(m.frame.snaps, 46, 20, m.st, rot)
		for _, r := range p.graph {
			if r == '•' || r == '×' || r == '─' {
				seen[r] = true
			}
		}
	}
	if len(seen) != 3 {
		t.Fatalf("over three rotations the lanes seen on top are %v, want all three", seen)
	}
}

// After i, the label says what changed, and so does w's file name; the
// header says the setting once ("init normal", not also "init → normal").
func TestLabelSaysWhatChanged(t *testing.T) {
	m := press(sized(newModel(t, "question", 0), 100, 30), "i")
	if got := m.session.Label(); got != "question · init → normal" || !strings.Contains(m.render(), "init normal") || strings.Contains(m.render(), "init → normal") {
		t.Fatalf("label %q", got)
	}
	if safeName(m.session.Label()) != "question-init-normal" {
		t.Fatalf("file name part %q", safeName(m.session.Label()))
	}
}

// A collapsed batch-1 run shows one verdict over 200 consecutive frames:
// its output bias wanders around the mean of ln x, the words do not.
func TestBatch1VerdictHoldsOver200Frames(t *testing.T) {
	p, _ := presets.Get("question")
	cfg := p.Config
	cfg.Batch = 1
	tr, _ := engine.New(cfg)
	m := sized(New(engine.NewSession(tr, "question"), Options{StartPaused: true}), 100, 30)
	m.pace.speed = 3 // 10 steps a frame
	m = press(m, "space")
	kinds := map[string]int{}
	for i := 0; i < 700; i++ {
		next, _ := m.Update(tickMsg{id: m.tickID})
		m = next.(Model)
		if i >= 500 {
			kinds[m.frame.verdicts[0].Kind]++
			if !strings.Contains(m.render(), "collapsed to the mean of ln x") {
				t.Fatalf("frame %d: %s", i, m.frame.verdicts[0].Text)
			}
		}
	}
	if len(kinds) != 1 {
		t.Fatalf("verdicts over 200 frames: %v", kinds)
	}
}

// The ramp ends after its minute of running (a pause does not count): the
// header then says the rung it goes on at, and the message says so. The
// clock is the test's: frames, not wall time.
func TestRampEndsAfterItsMinute(t *testing.T) {
	m := sized(newModel(t, "question", 0), 80, 24)
	clock := fixedNow
	m.now = func() time.Time { return clock }
	m.stepCap = 50 // a frame in steps: the ramp outruns it, as it outruns a real engine
	m.pace = newPace(true, clock)
	m.running = true
	frame := func(n int) {
		for i := 0; i < n; i++ {
			clock = clock.Add(frameTime30)
			m.train()
			m.refresh()
		}
	}
	frame(30 * 30) // 30 s
	m.pause()
	clock = clock.Add(10 * time.Minute) // paused: the ramp waits
	m.running = true
	m.pace.resumed(clock)
	frame(29 * 30)
	if !m.pace.ramp || !strings.Contains(m.frame.pace, "ramp") {
		t.Fatalf("59 s of running: pace %q; want the ramp still", m.frame.pace)
	}
	frame(2 * 30)
	if m.pace.ramp || strings.Contains(m.frame.pace, "ramp") || m.frame.pace != speedLabel(speeds[m.pace.speed]) {
		t.Fatalf("61 s of running: pace %q (ramp %v); want the rung it is on", m.frame.pace, m.pace.ramp)
	}
	if !strings.Contains(m.msg, "ramp is over") || !strings.Contains(m.msg, m.frame.pace) {
		t.Fatalf("message %q; want it to say the ramp ended and the pace", m.msg)
	}
	before := m.session.Step()
	frame(1)
	if got, want := m.session.Step()-before, int64(speeds[m.pace.speed]); want > 0 && got != min(want, 50) {
		t.Fatalf("after the ramp a frame took %d steps; want the rung's %d", got, want)
	}
}

// Every rung of the lr ladder, walked up and down by + and -, is the
// double nearest its 1–2–5 decimal and prints as that decimal (shortest
// exact) in the header and the message.
func TestLRLadderPrintsEveryRungCleanly(t *testing.T) {
	var want []string
	for e := -6; e <= 1; e++ {
		for _, d := range []string{"1", "2", "5"} {
			if e == 1 && d != "1" {
				continue
			}
			v, _ := strconv.ParseFloat(fmt.Sprintf("%se%d", d, e), 64)
			want = append(want, strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	m := sized(newModel(t, "answer", 0), 200, 30)
	m = press(m, strings.Split(strings.Repeat("-", 30), "")...) // to 1e-6
	check := func(i int) {
		t.Helper()
		lr := m.session.Main().Config().LR
		if got := strconv.FormatFloat(lr, 'g', -1, 64); got != want[i] || engine.FormatLR(lr) != want[i] {
			t.Fatalf("rung %d: lr %s (FormatLR %s), want %s", i, got, engine.FormatLR(lr), want[i])
		}
		if !strings.Contains(m.View().Content, " lr "+want[i]+" ") {
			t.Fatalf("rung %d: the header does not say lr %s:\n%s", i, want[i], m.View().Content)
		}
	}
	check(0)
	for i := 1; i < len(want); i++ {
		m = press(m, "+")
		check(i)
		if !strings.HasSuffix(m.msg, "learning rate: "+want[i]) {
			t.Fatalf("+ to rung %d says %q", i, m.msg)
		}
	}
	for i := len(want) - 2; i >= 0; i-- {
		m = press(m, "-")
		check(i)
	}
	for _, c := range []struct {
		v    float64
		want string
	}{{0.01, "0.01"}, {3e-4, "0.0003"}, {0.1 + 0.2, "0.3"}, {1.0 / 3, "0.333333"}, {0.123456789, "0.123456789"}} {
		if got := engine.FormatLR(c.v); got != c.want {
			t.Errorf("FormatLR(%v) = %s, want %s", c.v, got, c.want)
		}
	}
}
