package tui

// The timeline in its rooms and keys: the help, the units, the what-if,
// the last frames, the setup keys, a loaded network, a small screen.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// takes only those: a setup key there does not reach the live run.
func TestTimelineHelp(t *testing.T) {
	m := sized(timelineModel(t, Options{}), 80, 24)
	tok := m.session.Setup().Token()
	m = keys(m, "t", "left", "?")
	if m.mode != modeHelp || m.back != modeTimeline {
		t.Fatalf("? on the timeline: mode %d, back %d (%q)", m.mode, m.back, m.msg)
	}
	v := m.render()
	checkFits(t, v, 80, 24)
	for _, want := range []string{"← →", "⇧← ⇧→", "enter", "save the moment on screen", "esc", "timeline: back to the live run", "the moment's units", "viewing step"} {
		if !strings.Contains(v, want) {
			t.Errorf("the help over the timeline lacks %q:\n%s", want, v)
		}
	}
	at := m.tl.at
	m = keys(m, "o")
	if !m.msgBad || m.session.Setup().Token() != tok {
		t.Fatalf("o in the help over a moment: %q, token %q", m.msg, m.session.Setup().Token())
	}
	m = keys(m, "left")
	if m.tl.at != at-1 || m.mode != modeHelp {
		t.Fatalf("← in the help over a moment: at %d (was %d), mode %d", m.tl.at, at, m.mode)
	}
	if line := m.frame.keyLine; len(line) == 0 || !strings.Contains(fmt.Sprint(line), "branch here") {
		t.Fatalf("the key line under the help over a moment: %v", line)
	}
	m = keys(m, "esc")
	if m.mode != modeTimeline {
		t.Fatalf("esc in the help over a moment: mode %d, want the timeline", m.mode)
	}
	m = keys(m, "?", "?")
	if m.mode != modeTimeline {
		t.Fatalf("? twice: mode %d, want the timeline", m.mode)
	}
}

// step 1 (golden at 80×24), not the live run's; its pages turn with pgdn.
func TestTimelineUnits(t *testing.T) {
	m := sized(timelineModel(t, Options{}), 80, 24)
	m = keys(m, "t", "shift+left", "shift+left", "shift+left", "shift+left", "right", "u")
	if m.mode != modeTimeline || m.tl.inner != modeUnits || m.tl.keep.At(m.tl.at).Step != 1 {
		t.Fatalf("u on the timeline: mode %d, inner %d, step %d", m.mode, m.tl.inner, m.tl.keep.At(m.tl.at).Step)
	}
	s, _ := m.momentSession()
	want := s.Main().Units(engine.DefaultPlotPoints)
	got := m.frame.units
	if len(got.Lanes) != 1 || got.Lanes[0].Step != 1 || fmt.Sprint(got.Lanes[0].Layers) != fmt.Sprint(want.Layers) {
		t.Fatalf("the units on screen are not step 1's: %+v", got.Lanes)
	}
	m = quiet(m)
	v := m.render()
	checkFits(t, v, 80, 24)
	if !strings.Contains(v, "viewing step 1 of 300") {
		t.Fatalf("the units at step 1:\n%s", v)
	}
	golden(t, "timeline_units_80x24", v)
	if n := m.unitsPages(); n > 1 {
		m = keys(m, "pgdown")
		if m.units.page != 1 || m.render() == v {
			t.Fatalf("pgdn on the moment's units: page %d of %d", m.units.page, n)
		}
	}
	m = keys(m, "u", "pgdown") // back to the plots: pgdn says what it is for
	if m.tl.inner != modePlots || !m.msgBad || !strings.Contains(m.msg, "u opens") {
		t.Fatalf("pgdn without the units: inner %d, %q", m.tl.inner, m.msg)
	}
	m = keys(m, "u", "esc") // back to the live run, in its units room
	if m.mode != modeUnits || m.frame.units.Lanes[0].Step != 300 {
		t.Fatalf("esc from the moment's units: mode %d", m.mode)
	}
}

// race, not c (it would end the race).
func TestTimelineWhatIfFromStepZeroAndARace(t *testing.T) {
	m := sized(timelineModel(t, Options{}), 100, 30)
	m = keys(m, "t", "shift+left", "shift+left", "shift+left", "shift+left", "enter")
	if m.session.Step() != 0 || !strings.Contains(m.msg, "(o, +/-, c, i, a)") {
		t.Fatalf("a branch at step %d says %q", m.session.Step(), m.msg)
	}
	m = keys(m, "c")
	m.advance(runner.Budget{Steps: 20})
	m = keys(m, "t", "left", "enter")
	if !m.session.Racing() || !strings.Contains(m.msg, "(o, +/-)") {
		t.Fatalf("a branch in a race (racing %v) says %q", m.session.Racing(), m.msg)
	}
}

// t then steps back through them, and says what they are.
func TestTimelineKeepsTheDashboardsFrames(t *testing.T) {
	m := sized(timelineModel(t, Options{}), 100, 30)
	clock := fixedNow
	m.now, m.stepCap, m.running = func() time.Time { return clock }, 7, true
	m.pace = newPace(false, clock) // no ramp: every tick trains
	before := m.tl.keep.Len()
	var steps []int64
	for i := range 12 {
		clock = clock.Add(frameGap / 2) // two ticks a frameGap: every other one is kept
		next, _ := m.Update(tickMsg{id: m.tickID})
		m = next.(Model)
		if i%2 == 0 {
			steps = append(steps, m.session.Step())
		}
	}
	var frames []int64
	for i := before; i < m.tl.keep.Len(); i++ {
		if mo := m.tl.keep.At(i); mo.Frame {
			frames = append(frames, mo.Step)
		}
	}
	if fmt.Sprint(frames) != fmt.Sprint(steps) {
		t.Fatalf("frames kept at steps %v, want one a frame gap: %v", frames, steps)
	}
	m.running = false
	m = keys(m, "space", "t") // t keeps the live step too: the newest moment is the run on screen
	if mo := m.tl.keep.At(m.tl.at); !mo.Frame || mo.Step != m.session.Step() || !strings.Contains(m.frame.timelineAt, "a frame of the last few seconds") {
		t.Fatalf("t: moment at step %d (frame %v, live %d): %q", mo.Step, mo.Frame, m.session.Step(), m.frame.timelineAt)
	}
	m = keys(m, "left")
	if mo := m.tl.keep.At(m.tl.at); mo.Step != steps[len(steps)-1] {
		t.Fatalf("← from the live step: step %d, want the last frame kept, %d", mo.Step, steps[len(steps)-1])
	}
}

// each pressed on a run at an unplanned step.
func TestTimelineMarksEverySetupKey(t *testing.T) {
	marked := 0
	for _, a := range actionTable() {
		if !a.setup || !a.modes.has(modePlots) || !a.roles.has(roleSolo) {
			continue
		}
		for _, k := range a.keys {
			m := sized(timelineModel(t, Options{}), 100, 30)
			m.advance(runner.Budget{Steps: 7}) // step 307: not a planned step
			tok, step, n := m.session.Setup().Token(), m.session.Step(), m.tl.keep.Len()
			m = keys(m, k)
			if m.session.Setup().Token() == tok && m.session.Step() >= step {
				continue // nothing changed (n steps; p opens a list)
			}
			mo := m.tl.keep.At(m.tl.keep.Last())
			if m.tl.keep.Len() != n+1 || mo.Step != m.session.Step() || mo.Why != m.msg {
				t.Errorf("%s changed the setup (%q) but the newest moment is step %d %q (%d moments, were %d)", k, m.msg, mo.Step, mo.Why, m.tl.keep.Len(), n)
			}
			marked++
		}
	}
	if marked < 10 {
		t.Fatalf("only %d setup keys changed the setup", marked)
	}
	// A preset chosen in the picker is a setup change too.
	m := sized(timelineModel(t, Options{}), 100, 30)
	n := m.tl.keep.Len()
	m = keys(m, "p", "down", "enter")
	if mo := m.tl.keep.At(m.tl.keep.Last()); m.tl.keep.Len() != n+1 || mo.Step != 0 || mo.Why != m.msg || mo.Label != m.session.Label() {
		t.Fatalf("a preset from the picker (%q): the newest moment is step %d %q %q", m.msg, mo.Step, mo.Why, mo.Label)
	}
}

// further, and says so; its loss plot says why it is empty.
func TestTimelineOfALoadedNetwork(t *testing.T) {
	tr, _ := engine.New(engine.DefaultConfig())
	if err := tr.LoadNetwork(tr.Network(), 1234); err != nil {
		t.Fatal(err)
	}
	m := New(engine.NewSession(tr, "loaded"), Options{StartPaused: true})
	m.now = func() time.Time { return fixedNow }
	m = sized(m, 100, 30)
	m.advance(runner.Budget{Steps: 30})
	m = keys(m, "t", "shift+left", "shift+left")
	if first := m.tl.keep.At(0); m.tl.at != 0 || first.Step != 1234 {
		t.Fatalf("the first moment is step %d (at %d): %v", first.Step, m.tl.at, m.tl.keep.Steps())
	}
	if !strings.Contains(m.msg, "the run came here at step 1,234") || !strings.Contains(m.msg, "loaded network") {
		t.Fatalf("shift+left at the loaded step says %q", m.msg)
	}
	if v := m.render(); !strings.Contains(v, "no loss kept before step 1,234") {
		t.Fatalf("the loaded step's loss plot:\n%s", v)
	}
}

// step and the parts that fit whole, so the plots keep their room.
func TestTimelineLineOnASmallScreen(t *testing.T) {
	m := sized(timelineModel(t, Options{}), 60, 16)
	m = keys(m, "t", "shift+left")
	line := m.timelineLines(60)
	if strings.Contains(line, "\n") || !strings.Contains(line, "viewing step "+engine.Commas(m.tl.keep.At(m.tl.at).Step)+" of 300") || strings.Contains(line, "…") {
		t.Fatalf("the timeline's line at 60×16: %q", line)
	}
	if v := m.render(); !strings.Contains(v, "loss (MSE") || !strings.Contains(v, "↑") {
		t.Fatalf("the moment's plots at 60×16:\n%s", v)
	}
	if big := sized(m, 80, 24); !strings.Contains(big.timelineLines(80), "moment ") {
		t.Fatalf("at 80×24 the line says which moment: %q", big.timelineLines(80))
	}
}

// ? lists t wherever t opens the timeline (the fit, the lab, the error view,
// the units room), and t pressed in the help opens it on the room behind;
// over the collapse map the help does not list it, and t there says why.
func TestHelpListsTheTimeline(t *testing.T) {
	for _, open := range []string{"", "h", "e", "u"} {
		m := sized(timelineModel(t, Options{}), 80, 24)
		if open != "" {
			m = keys(m, open)
		}
		room := m.mode
		m = keys(m, "?")
		if !helpListsT(m) {
			t.Fatalf("room %d: ? does not list t: %v", room, m.frame.helpRows)
		}
		m = keys(m, "t")
		if m.mode != modeTimeline || m.tl.inner != room {
			t.Fatalf("t in the help over room %d: mode %d, the moment drawn in room %d (%q)", room, m.mode, m.tl.inner, m.msg)
		}
	}
	m := keys(sized(timelineModel(t, Options{}), 80, 24), "m", "?")
	if m.back != modeMap || helpListsT(m) {
		t.Fatalf("the help over the map (back %d) lists t: %v", m.back, m.frame.helpRows)
	}
	if m = keys(m, "t"); m.mode == modeTimeline || !m.msgBad || !strings.Contains(m.msg, "t looks back from") {
		t.Fatalf("t in the help over the map: mode %d, %q", m.mode, m.msg)
	}
}

func helpListsT(m Model) bool {
	for _, col := range m.frame.helpRows {
		for _, row := range col {
			if strings.HasPrefix(row, "t ") {
				return true
			}
		}
	}
	return false
}
