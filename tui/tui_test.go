package tui

import (
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/presets"
)

// updating reports -update (the flag is defined by teatest's golden package).
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// Models here are built with Options.Profile unset: the plain, colourless
// profile, so the goldens hold no escape codes whatever terminal runs go test.

var fixedNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// newModel returns a paused dashboard on a preset after steps steps, with a
// frozen clock: every frame it draws is deterministic.
func newModel(t testing.TB, preset string, steps int) Model {
	t.Helper()
	p, err := presets.Get(preset)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := engine.New(p.Config)
	if err != nil {
		t.Fatal(err)
	}
	tr.Run(steps)
	m := New(engine.NewSession(tr, preset), Options{StartPaused: true})
	m.now = func() time.Time { return fixedNow }
	m.rate.reset(fixedNow, tr.Step())
	return m
}

func sized(m Model, w, h int) Model {
	next, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return next.(Model)
}

func press(m Model, keys ...string) Model {
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "space":
			msg = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "down":
			msg = tea.KeyPressMsg{Code: tea.KeyDown}
		case "up":
			msg = tea.KeyPressMsg{Code: tea.KeyUp}
		case "left":
			msg = tea.KeyPressMsg{Code: tea.KeyLeft}
		case "right":
			msg = tea.KeyPressMsg{Code: tea.KeyRight}
		case "esc":
			msg = tea.KeyPressMsg{Code: tea.KeyEscape}
		case "tab":
			msg = tea.KeyPressMsg{Code: tea.KeyTab}
		default:
			msg = tea.KeyPressMsg{Code: []rune(k)[0], Text: k}
		}
		next, _ := m.Update(msg)
		m = settle(next.(Model))
	}
	return m
}

// quiet clears the message line, as its fading would.
func quiet(m Model) Model {
	m.msg = ""
	m.refresh()
	return m
}

// settle delivers the frame a key asked for, as the program would within a
// frame (ticks are not run: tests drive those themselves).
func settle(m Model) Model {
	for guard := 0; m.in.pending && guard < 100; guard++ {
		next, _ := m.Update(frameMsg{})
		m = next.(Model)
	}
	return m
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -update to create it)", err)
	}
	if string(want) != got {
		t.Fatalf("%s differs from the golden file; run go test ./tui -update and review the diff.\ngot:\n%s", name, got)
	}
}

func checkFits(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Fatalf("view has %d lines for a %d-line terminal", len(lines), h)
	}
	for i, l := range lines {
		if lw := lipgloss.Width(l); lw > w {
			t.Fatalf("line %d is %d cells wide for a %d-cell terminal: %q", i, lw, w, l)
		}
	}
}

func TestViewGoldens(t *testing.T) {
	cases := []struct {
		name, preset string
		steps, w, h  int
	}{
		{"question_80x24", "question", 300, 80, 24},
		{"question_120x40", "question", 300, 120, 40},
		{"answer_120x40", "answer-batch-50", 3000, 120, 40},
		{"too_small", "question", 0, 40, 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := sized(newModel(t, c.preset, c.steps), c.w, c.h)
			v := m.render()
			checkFits(t, v, c.w, c.h)
			if strings.Contains(v, "\x1b[") { // NO_COLOR / Ascii profile: not one escape code
				t.Fatal("escape codes in a colourless view")
			}
			golden(t, c.name, v)
		})
	}
}

func TestViewSaysWhatHappened(t *testing.T) {
	m := sized(newModel(t, "question", 300), 100, 30)
	v := m.render()
	for _, want := range []string{"question", "sgd lr 0.01", "init uniform", "step 300", "‖ paused",
		"dead ReLU L1 50/50 L2 10/10", "collapsed to the mean of ln x", "try i (init)", "ln(x)", "net(x)"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q", want)
		}
	}
	small := sized(m, 50, 12).render()
	if !strings.Contains(small, "at least 60×16") || !strings.Contains(small, "50×12") {
		t.Fatalf("too-small view: %q", small)
	}
}

// One tick at full speed trains for its budget and returns: the dashboard
// answers keys within a frame.
// teatest: a real program loop, keys sent as a user types them. The v2
// renderer sends only the cells that change, so the test reads the final
// model, not words in the byte stream.
// Resizing every frame, to sizes from 1×1 to 400×120, never panics and
// never draws outside the terminal.
func TestResizeStorm(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	m := newModel(t, "answer-batch-50", 500)
	n := 300
	if testing.Short() {
		n = 60
	}
	for i := 0; i < n; i++ {
		w, h := 1+rng.IntN(400), 1+rng.IntN(120)
		m = sized(m, w, h)
		checkFits(t, m.render(), w, h)
	}
}

func TestPlotsNeverPanic(t *testing.T) {
	st := newStyles(0)
	colored := newStyles(colorprofile.TrueColor)
	nan, inf := math.NaN(), math.Inf(1)
	grid := make([]float64, engine.GridPoints)
	for i := range grid {
		grid[i] = (float64(i) + 0.5) / engine.GridPoints
	}
	fill := func(v float64) []float64 {
		s := make([]float64, len(grid))
		for i := range s {
			s[i] = v
		}
		return s
	}
	target := make([]float64, len(grid))
	for i, x := range grid {
		target[i] = math.Log(x)
	}
	preds := map[string][]float64{"nan": fill(nan), "inf": fill(inf), "-inf": fill(-inf), "const": fill(-1), "huge": fill(1e300), "empty": nil}
	hists := map[string][]engine.Bucket{
		"empty": nil,
		"one":   {{First: 1, Count: 1, Sum: 1, Min: 1, Max: 1}},
		"const": {{First: 1, Count: 1, Sum: 2, Min: 2, Max: 2}, {First: 2, Count: 1, Sum: 2, Min: 2, Max: 2}},
		"inf":   {{First: 1, Count: 1, Sum: 1}, {First: 2, Count: 1, Sum: inf}},
		"nan":   {{First: 1, Count: 1, Sum: nan}, {First: 2, Count: 1, Sum: nan}},
		"zero":  {{First: 1, Count: 1, Sum: 0}, {First: 2, Count: 1, Sum: 0}},
		"neg":   {{First: 1, Count: 1, Sum: -1}, {First: 2, Count: 1, Sum: 3}},
	}
	for pn, p := range preds {
		for hn, h := range hists {
			s := engine.Snapshot{GridX: grid, Target: target, Pred: p, History: h, LogHistory: h, Step: 2}
			for _, size := range [][2]int{{0, 0}, {1, 1}, {9, 3}, {10, 4}, {40, 12}, {200, 50}} {
				for _, logScale := range []bool{true, false} {
					func() {
						defer func() {
							if r := recover(); r != nil {
								t.Fatalf("pred %s, history %s, size %v, log %v: panic %v", pn, hn, size, logScale, r)
							}
						}()
						plotFit([]engine.Snapshot{s, s}, size[0], size[1], st, 1)
						plotFit([]engine.Snapshot{s}, size[0], size[1], st, 0)
						plotLoss([]engine.Snapshot{s}, size[0], size[1], lossOpts{logY: logScale, smooth: true}, st, 0)
						plotLoss([]engine.Snapshot{s, s, s}, size[0], size[1], lossOpts{logY: logScale, logX: true}, st, 2)
						plotLoss([]engine.Snapshot{s}, size[0], size[1], lossOpts{logY: logScale, logX: true}, colored, 0)
					}()
				}
			}
		}
	}
}

func TestFitRangeHasRoundLabels(t *testing.T) {
	for _, h := range []int{5, 10, 14, 19, 20, 21, 25, 40} {
		lowest := math.Log(0.5 / float64(plotColumns(60)))
		lo, hi, rows := fitRange(lowest, h)
		step := (hi - lo) / float64(rows)
		if hi != 1 || (h >= 12 && lo > lowest) {
			t.Errorf("h %d: range [%g, %g], step %g", h, lo, hi, step)
		}
		if k := (hi + 1) / step; math.Abs(k-math.Round(k)) > 1e-9 { // the collapse value gets its own label
			t.Errorf("h %d: −1 is not on a row (step %g)", h, step)
		}
		// And asciigraph draws it so: a row labelled exactly −1.
		s := engine.Snapshot{GridX: []float64{0.25, 0.75}, Target: []float64{math.Log(0.25), math.Log(0.75)}, Pred: []float64{-1, -1}}
		for i := 0; i < engine.GridPoints-2; i++ { // a full grid, so the columns sample it
			x := (float64(i) + 0.5) / engine.GridPoints
			s.GridX, s.Target, s.Pred = append(s.GridX, x), append(s.Target, math.Log(x)), append(s.Pred, -1)
		}
		s.GridX, s.Target, s.Pred = s.GridX[2:], s.Target[2:], s.Pred[2:]
		graph := plotFit([]engine.Snapshot{s}, 60, h, newStyles(0), 0).graph
		if !strings.Contains(graph, "     -1┤") && !strings.Contains(graph, "     -1┼") {
			t.Errorf("h %d: no row labelled -1:\n%s", h, graph)
		}
	}
}

// w replaces its own earlier save, but not a file someone put in its place
// since: that file is kept and the save goes to a fresh name.
func TestAxisLabelsFitAndRead(t *testing.T) {
	cases := map[float64]string{0: "0", -2.220446049250313e-16: "0", -0.2: "-0.2", 1: "1", 0.0036: "0.0036",
		1.23456e-5: "1.2e-5", -1.7e-11: "-2e-11", -1.5e-15: "0", 1e300: "1e+300", 12345: "1.2e+4", -7.25: "-7.2"}
	for v, want := range cases {
		got := shortNum(v, 2)
		if got != want {
			t.Errorf("shortNum(%g) = %q, want %q", v, got, want)
		}
		if len(got) > labelWidth {
			t.Errorf("shortNum(%g) = %q is wider than %d", v, got, labelWidth)
		}
	}
}

func TestLessonDrivesTheDashboard(t *testing.T) {
	l, _ := runner.GetLesson("seed-story")
	tr, _ := engine.New(engine.DefaultConfig())
	m := New(engine.NewSession(tr, "question"), Options{Lesson: l, StartPaused: true})
	m.now = func() time.Time { return fixedNow }
	m = sized(m, 100, 30)
	if !m.run.Waiting || !strings.Contains(m.render(), "The question's net") || !strings.Contains(m.render(), "[space]") {
		t.Fatalf("the first caption is not shown:\n%s", m.render())
	}
	m = press(m, "space") // show units: the room, with the kinks at step 0
	if m.mode != modeUnits || !m.run.Waiting || !strings.Contains(m.render(), "Inside the net") || !strings.Contains(m.render(), "units · step 0") {
		t.Fatalf("the lesson's show units did not open the room at step 0 (mode %v):\n%s", m.mode, m.render())
	}
	m = press(m, "space")
	for i := 0; i < 20 && m.running; i++ {
		next, _ := m.Update(tickMsg{id: m.tickID})
		m = next.(Model)
	}
	if m.running || !m.run.Waiting || m.session.Lane(m.sel).Step() != 1 {
		t.Fatalf("after the lesson's 'run 1': running %v, waiting %v, step %d", m.running, m.run.Waiting, m.session.Lane(m.sel).Step())
	}
	if !strings.Contains(m.render(), "One step.") || m.snap().Metrics.Dead[0] != 50 || !strings.Contains(m.render(), "units · step 1") {
		t.Fatal("the second caption or the dead layer is not shown")
	}
}

func TestInitLabAndErrorView(t *testing.T) {
	m := sized(newModel(t, "question", 0), 120, 40)
	m = press(m, "h")
	v := m.render()
	if !strings.Contains(v, "init lab") || !strings.Contains(v, "W1") || !strings.Contains(v, "z1(x)") {
		t.Fatalf("init lab:\n%s", v)
	}
	// U[0,1): every weight and every first-layer pre-activation is positive.
	for _, line := range strings.Split(v, "\n") {
		if strings.Contains(line, " W1 ") || strings.Contains(line, " z1(x) ") {
			if !strings.Contains(line, "100% > 0") {
				t.Fatalf("uniform init: %q", line)
			}
		}
	}
	m = press(m, "n")
	if v := m.render(); !strings.Contains(v, "dead 50/50 (all dead at step 1)") {
		t.Fatalf("after one step the init lab does not show the death:\n%s", v)
	}
	m = press(m, "e")
	if v := m.render(); !strings.Contains(v, "log-x axis") || !strings.Contains(v, "x = 0.01") {
		t.Fatalf("error view:\n%s", v)
	}
	checkFits(t, m.render(), 120, 40)
	m = press(m, "e")
	if m.mode != modePlots {
		t.Fatal("e did not close the error view")
	}
}

func TestClassroomLayout(t *testing.T) {
	l, _ := runner.GetLesson("activations")
	tr, _ := engine.New(engine.DefaultConfig())
	m := sized(New(engine.NewSession(tr, "question"), Options{Lesson: l, StartPaused: true, Classroom: true}), 100, 30)
	v := m.render()
	if strings.Contains(v, "‖∇‖") || strings.Contains(v, "hidden 50,10") || !strings.Contains(v, "ReLU from the question's init") {
		t.Fatalf("classroom view:\n%s", v)
	}
	checkFits(t, v, 100, 30)
}

func TestHelpShowsTheToken(t *testing.T) {
	m := sized(newModel(t, "answer", 0), 160, 50)
	m = press(m, "c", "?")
	tok := m.frame.token
	if !strings.Contains(m.render(), tok) {
		t.Fatal("the help overlay does not show the config token")
	}
	// In a narrow terminal the token wraps, and what is on screen still parses.
	narrow := sized(m, 80, 40).render()
	start := strings.Index(narrow, "this setup:")
	end := strings.Index(narrow, "(lnfit --config")
	shown := narrow[start+len("this setup:") : end]
	if got, err := engine.ParseToken(strings.ReplaceAll(shown, "│", "")); err != nil || got.Token() != tok {
		t.Fatalf("the wrapped token on screen does not parse back: %v\n%q", err, shown)
	}
	s, err := engine.ParseToken(tok)
	if err != nil || s.Label != "answer" || s.Config.Batch != 500 || strings.Join(engine.LaneNames(s.Lanes), ",") != "sgd,adam" {
		t.Fatalf("token %+v, %v", s, err)
	}
}

// A token's label need not be a preset: the picker must still open and choose.
// Keys typed quickly arrive as one message with several runes; each counts.
