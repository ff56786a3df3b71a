package tui

import (
	"fmt"
	"strings"
	"testing"

	"time"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/presets"
)

// headerCase builds a dashboard in a role: solo, race, lesson, follower.
func headerCase(t *testing.T, kind, preset string, w, h int, running bool) Model {
	t.Helper()
	build := func(o Options) Model {
		p, err := presets.Get(preset)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := engine.New(p.Config)
		if err != nil {
			t.Fatal(err)
		}
		tr.Run(3)
		o.StartPaused = true
		m := New(engine.NewSession(tr, preset), o)
		m.now = func() time.Time { return fixedNow }
		m.rate.reset(fixedNow, tr.Step())
		return m
	}
	var m Model
	switch kind {
	case "solo", "race":
		m = sized(build(Options{}), w, h)
		if kind == "race" {
			m = press(m, "c")
		}
	case "lesson":
		l, err := runner.GetLesson("seed-story")
		if err != nil {
			t.Fatal(err)
		}
		m = sized(build(Options{Lesson: l}), w, h) // its first caption, over the plots
	case "follower", "follower-lesson":
		hub := NewHub()
		o := Options{Hub: hub}
		if kind == "follower-lesson" {
			l, err := runner.GetLesson("seed-story")
			if err != nil {
				t.Fatal(err)
			}
			o.Lesson = l
		}
		teacher := build(o)
		teacher.running = true
		next, _ := teacher.Update(tickMsg{id: teacher.tickID})
		teacher = next.(Model)
		tr, _ := engine.New(engine.DefaultConfig())
		m = New(engine.NewSession(tr, "following"), Options{Hub: hub, Follow: true, Remote: true, StartPaused: true})
		m.now = func() time.Time { return fixedNow }
		f, ok := hub.latest()
		if !ok {
			t.Fatal("the teacher published no frame")
		}
		next, _ = m.Update(sharedFrameMsg{f})
		m = sized(next.(Model), w, h)
	}
	if running && !strings.HasPrefix(kind, "follower") {
		m.frame.running, m.frame.rate = true, 123_456
		m.running = true
	}
	return m
}

// headerParts splits a header back into its parts (and the live figures).
func headerParts(h string) []string {
	var parts []string
	for _, l := range strings.Split(h, "\n") {
		parts = append(parts, strings.Split(strings.TrimPrefix(l, " "), " · ")...)
	}
	return parts
}

// The header spends no line on nothing: paused, it takes exactly the lines
// its parts need at this width (no room kept for a figure that cannot
// change until a key is pressed); running, no more than with its step and
// rate at their widest; and at 60×16, in every role, it leaves both plots
// rows (a compact form below 24 rows: issue 24 [2]).
func TestHeaderUsesTheLinesItsContentNeeds(t *testing.T) {
	for _, kind := range []string{"solo", "race", "lesson", "follower", "follower-lesson"} {
		presetList := presets.Names()
		if strings.HasSuffix(kind, "lesson") {
			presetList = presetList[:1] // the lesson sets its own
		}
		for _, preset := range presetList {
			for _, size := range [][2]int{{60, 16}, {80, 24}, {100, 30}} {
				for _, running := range []bool{false, true} {
					name := fmt.Sprintf("%s %s %dx%d running %v", kind, preset, size[0], size[1], running)
					m := headerCase(t, kind, preset, size[0], size[1], running)
					h := m.header(size[0])
					if strings.Contains(h, "…") {
						t.Errorf("%s: a cut header:\n%s", name, h)
					}
					lines := strings.Count(h, "\n") + 1
					parts := headerParts(h)
					need := strings.Count(wrapParts(parts, " · ", size[0]), "\n") + 1
					if !m.frame.running && lines != need {
						t.Errorf("%s: %d header lines where its parts need %d:\n%s", name, lines, need, h)
					}
					if m.frame.running {
						wide := append([]string{}, parts...)
						for i, p := range wide {
							if strings.HasPrefix(p, "step ") {
								wide[i] = "step 9,999,999"
							}
							if strings.HasSuffix(p, "steps/s") {
								wide[i] = widestRate
							}
						}
						if most := strings.Count(wrapParts(wide, " · ", size[0]), "\n") + 1; lines > most {
							t.Errorf("%s: %d header lines, more than the %d of its widest figures:\n%s", name, lines, most, h)
						}
					}
					if size == [2]int{60, 16} {
						v := m.render()
						rows := plotRows(v)
						if strings.Contains(v, "(no loss before") { // step 0: the loss panel says why it is empty
							rows = fitRows(v)
						}
						if rows < 2 {
							t.Errorf("%s: both plots have %d rows at 60×16:\n%s", name, rows, m.render())
						}
					}
				}
			}
		}
	}
}

// plotRows counts the screen's lines that cross both plots' y axes.
func plotRows(view string) int {
	n := 0
	for _, l := range strings.Split(view, "\n") {
		if strings.Count(l, "┤")+strings.Count(l, "┼") >= 2 {
			n++
		}
	}
	return n
}

// fitRows counts the lines that cross the fit plot's y axis.
func fitRows(view string) int {
	n := 0
	for _, l := range strings.Split(view, "\n") {
		if strings.ContainsAny(l, "┤┼") {
			n++
		}
	}
	return n
}

// The header's line breaks hold still as a running step count grows.
func TestHeaderHoldsStillWhileRunning(t *testing.T) {
	for _, size := range [][2]int{{60, 16}, {80, 24}, {100, 30}} {
		a := headerCase(t, "solo", "question", size[0], size[1], true)
		b := a
		b.frame.snaps = append([]engine.Snapshot{}, a.frame.snaps...)
		b.frame.snaps[0].Step, b.frame.rate = 9_876_543, 0.5
		before := func(h string) []string {
			var out []string
			for _, l := range strings.Split(h, "\n") {
				s, _, _ := strings.Cut(l, "step ")
				out = append(out, s)
			}
			return out
		}
		if x, y := before(a.header(size[0])), before(b.header(size[0])); fmt.Sprint(x) != fmt.Sprint(y) {
			t.Errorf("%v: the header moved between step 3 and 9,876,543:\n%s\n%s", size, a.header(size[0]), b.header(size[0]))
		}
	}
}

// With four lanes at 80×24 the plots' legends have no room: the header's
// lane list says which glyph is which lane, in a race and in the
// optimizers lesson (issue 24's trial, [10]).
func TestRaceLanesCarryTheirGlyphs(t *testing.T) {
	race := press(sized(newModel(t, "question-normal-init", 200), 80, 24), "c", "C", "C")
	l, err := runner.GetLesson("optimizers")
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := engine.New(engine.DefaultConfig())
	lesson := New(engine.NewSession(tr, "question"), Options{Lesson: l, StartPaused: true})
	lesson.now = func() time.Time { return fixedNow }
	lesson = press(sized(lesson, 80, 24), "space")
	for name, m := range map[string]Model{"race": race, "optimizers": lesson} {
		if len(m.frame.snaps) != 4 {
			t.Fatalf("%s: %d lanes, want 4", name, len(m.frame.snaps))
		}
		h := m.header(80)
		for i := range m.frame.snaps {
			_, _, glyph := laneStyle(i, 4, m.st)
			if want := fmt.Sprintf("%s%c %s", glyph, 'A'+i, m.frame.snaps[i].Config.Optimizer); !strings.Contains(h, want) {
				t.Errorf("%s: the header lacks %q:\n%s", name, want, h)
			}
		}
		if n := strings.Count(h, "\n") + 1; n > 4 {
			t.Errorf("%s: %d header lines at 80×24:\n%s", name, n, h)
		}
	}
	// A lane forked later says from where, as the loss plot's ↑B marks it.
	for i, s := range race.frame.snaps {
		if k := s.ForkedAt; k > s.HistStart && !strings.Contains(race.header(80), fmt.Sprintf("%c %s lr %g (from %s)", 'A'+i, s.Config.Optimizer, s.Config.LR, engine.Commas(k+1))) {
			t.Errorf("lane %c forked at %d: no 'from' in the header:\n%s", 'A'+i, k, race.header(80))
		}
	}
}

// The init scale reads as the init's: "init normal ×10", not a bare "× 10".
func TestHeaderSaysTheInitScale(t *testing.T) {
	p, err := presets.Get("question")
	if err != nil {
		t.Fatal(err)
	}
	p.Config.Init, p.Config.InitScale = engine.InitNormal, 10
	tr, err := engine.New(p.Config)
	if err != nil {
		t.Fatal(err)
	}
	m := New(engine.NewSession(tr, "question"), Options{StartPaused: true})
	m.now = func() time.Time { return fixedNow }
	for _, size := range [][2]int{{60, 16}, {80, 24}} {
		if h := sized(m, size[0], size[1]).header(size[0]); !strings.Contains(h, "init normal ×10") || strings.Contains(h, "× 10") {
			t.Errorf("%v: header\n%s", size, h)
		}
	}
}
