package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/presets"
)

// keys presses keys spelled as the walk spells them (shift-arrows included).
func keys(m Model, ks ...string) Model {
	for _, k := range ks {
		next, _ := m.Update(keyMsg(k))
		m = settle(next.(Model))
	}
	return m
}

// timelineModel is the question trained 300 steps through the dashboard's
// runner, so its timeline holds the planned moments.
func timelineModel(t *testing.T, o Options) Model {
	t.Helper()
	p, _ := presets.Get("question")
	tr, _ := engine.New(p.Config)
	o.StartPaused = true
	m := New(engine.NewSession(tr, "question"), o)
	m.now = func() time.Time { return fixedNow }
	m.advance(runner.Budget{Steps: 300})
	m.rate.reset(fixedNow, m.session.Step())
	m.refresh()
	return m
}

// t, then back a decade at a time to step 0, and one moment on: step 1 of
// the question, in the fit and in the init lab (goldens at 80×24); the live
// run is untouched, and esc returns to it.
func TestTimelineShowsStepOne(t *testing.T) {
	m := sized(timelineModel(t, Options{}), 80, 24)
	liveTok, liveNet := m.session.Setup().Token(), m.session.Main().Network().Params
	m = keys(m, "t", "shift+left", "shift+left", "shift+left", "shift+left", "right")
	if m.mode != modeTimeline || m.tl.keep.At(m.tl.at).Step != 1 {
		t.Fatalf("mode %d, at step %d (moments %v)", m.mode, m.tl.keep.At(m.tl.at).Step, m.tl.keep.Steps())
	}
	m = quiet(m)
	v := m.render()
	checkFits(t, v, 80, 24)
	for _, want := range []string{"viewing step 1 of 300", "t/esc back to live", "training paused", "step 1 ", "dead ReLU L1 50/50"} {
		if !strings.Contains(v, want) {
			t.Errorf("the timeline at step 1 lacks %q:\n%s", want, v)
		}
	}
	golden(t, "timeline_fit_80x24", v)
	m = quiet(keys(m, "h"))
	lab := m.render()
	checkFits(t, lab, 80, 24)
	if !strings.Contains(lab, "viewing step 1 of 300") || lab == v {
		t.Fatalf("h on the timeline is not the lab at step 1:\n%s", lab)
	}
	golden(t, "timeline_lab_80x24", lab)
	m = quiet(keys(m, "e")) // the error view of step 1: its own error, not the live run's
	ev := m.render()
	s1, _ := m.momentSession()
	if m.tl.inner != modeError || !strings.Contains(ev, "viewing step 1 of 300") || ev == lab || s1.Main().Snapshot().Metrics.MSE == m.session.Main().Snapshot().Metrics.MSE {
		t.Fatalf("e on the timeline is not the error view at step 1:\n%s", ev)
	}
	m = keys(m, "h")
	if m.frame.token != liveTok || m.session.Step() != 300 || !sameParams(m.session.Main().Network().Params, liveNet) {
		t.Fatal("looking back changed the live run or its token")
	}
	m = keys(m, "o") // a setup key does nothing on the timeline, and says so
	if !m.msgBad || m.session.Setup().Token() != liveTok {
		t.Fatalf("o on the timeline: %q", m.msg)
	}
	m = keys(m, "esc")
	if m.mode != modeLab || m.frame.timeline != "" || !strings.Contains(m.render(), "step 300") {
		t.Fatalf("esc: mode %d, timeline line %q", m.mode, m.frame.timeline)
	}
}

func sameParams(a, b []float64) bool {
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

// enter branches: the live run is the moment, and trained on it is the
// uninterrupted run; w on the timeline saves the moment, and says so.
func TestTimelineBranchAndSave(t *testing.T) {
	dir := t.TempDir()
	m := sized(timelineModel(t, Options{SavePath: filepath.Join(dir, "net.json")}), 100, 30)
	m = keys(m, "t", "left", "left")
	at := m.tl.keep.At(m.tl.at).Step
	m = keys(m, "w")
	if m.msgBad || !strings.Contains(m.msg, "the moment at step "+engine.Commas(at)) {
		t.Fatalf("w on the timeline: %q", m.msg)
	}
	saved, _, err := engine.LoadFile(filepath.Join(dir, "net.json"))
	if err != nil || saved.Step != at {
		t.Fatalf("the saved file: step %d, %v (want the moment's %d)", saved.Step, err, at)
	}
	m = keys(m, "enter")
	if m.mode != modePlots || m.session.Step() != at {
		t.Fatalf("enter: mode %d, step %d, want %d", m.mode, m.session.Step(), at)
	}
	// The what-if: the keys named work now (at a step past 0, not i or a).
	wantSaid := "branched at step " + engine.Commas(at) + ", bit for bit — change a setting (o, +/-, c) to see what would have happened on the same batches"
	if m.msg != wantSaid {
		t.Fatalf("enter says %q, want %q", m.msg, wantSaid)
	}
	m.advance(runner.Budget{Steps: 300 - at})
	plain, _ := engine.New(m.session.Main().Config())
	plain.Run(300)
	if !sameParams(plain.Network().Params, m.session.Main().Network().Params) {
		t.Fatal("the branch trained on is not the uninterrupted run")
	}
}

// In a lesson the timeline looks back, but enter is refused like any setup key.
func TestTimelineBranchRefusedInALesson(t *testing.T) {
	m := sized(lessonModel(t, "seed-story", Options{}), 100, 30)
	m = keys(m, "space") // past the first caption: run 1
	m.advance(runner.Budget{Steps: 50})
	m = keys(m, "esc", "t", "left") // esc: the lesson opened the units room, which has no moments to show
	before := m.session.Step()
	m = keys(m, "enter")
	if !m.msgBad || !strings.Contains(m.msg, "the lesson sets up the run") || m.session.Step() != before {
		t.Fatalf("enter in a lesson: %q, step %d → %d", m.msg, before, m.session.Step())
	}
}

// A follower scrubs the teacher's moments on its own screen: the teacher's
// run and screen are untouched, and the teacher training on leaves the
// follower at its moment; the teacher's own scrub is what followers see.
// Both over the broadcast hub.
func TestTimelineInAClass(t *testing.T) {
	teacher, student, hub, _ := classroom(t)
	share := func() {
		teacher.refresh()
		f, _ := hub.latest()
		next, _ := student.Update(sharedFrameMsg{f})
		student = next.(Model)
	}
	teacher.advance(runner.Budget{Steps: 120})
	share()
	kept := teacher.tl.keep.Len()
	student = keys(student, "t", "shift+left", "shift+left", "shift+left")
	v := student.render()
	if student.mode != modeTimeline || !strings.Contains(v, "viewing step 0 of 120") || !strings.Contains(v, "the teacher's run goes on") {
		t.Fatalf("the follower's timeline:\n%s", v)
	}
	teacher.advance(runner.Budget{Steps: 100}) // the class goes on meanwhile
	share()
	v = student.render()
	if student.mode != modeTimeline || student.tl.keep.At(student.tl.at).Step != 0 || !strings.Contains(v, "viewing step 0 of 220") {
		t.Fatalf("the teacher's next frame moved the follower's moment:\n%s", v)
	}
	if teacher.session.Step() != 220 || teacher.mode == modeTimeline || teacher.tl.keep.Len() < kept || strings.Contains(teacher.render(), "viewing step") {
		t.Fatal("the follower's scrub moved the teacher")
	}
	student = keys(student, "enter")
	if !student.msgBad || !strings.Contains(student.msg, "teacher's key") {
		t.Fatalf("a follower's enter: %q", student.msg)
	}
	student = keys(student, "esc")
	if student.mode == modeTimeline || strings.Contains(student.render(), "viewing step") {
		t.Fatal("esc did not bring the follower back to the teacher's run")
	}
	// The teacher scrubs: the followers' screens are that moment.
	teacher = keys(teacher, "t", "shift+left")
	at := teacher.tl.keep.At(teacher.tl.at).Step
	share()
	want := "viewing step " + engine.Commas(at) + " of 220"
	if v := student.render(); at >= 220 || !strings.Contains(v, want) || !strings.Contains(v, "step "+engine.Commas(at)+" ") {
		t.Fatalf("the follower while the teacher views step %d:\n%s", at, v)
	}
	teacher = keys(teacher, "esc")
	share()
	if v := student.render(); strings.Contains(v, "viewing step") || !strings.Contains(v, "step 220") {
		t.Fatalf("the follower after the teacher's esc:\n%s", v)
	}
}

// The loss plot at a moment is the run's axis, drawn up to the moment's
// step, with the cursor (┊ and ↑STEP) in the column where its loss ends.
func TestTimelineLossCursor(t *testing.T) {
	m := sized(timelineModel(t, Options{}), 100, 30)
	m = keys(m, "t", "shift+left") // a decade back from 300
	mo := m.tl.keep.At(m.tl.at)
	if m.frame.timelineTo != 300 || mo.Step >= 300 || mo.Step < 10 {
		t.Fatalf("at step %d, the axis ends at %d, want 300", mo.Step, m.frame.timelineTo)
	}
	s, _ := m.momentSession()
	snap := s.Main().Snapshot()
	const w, h = 46, 12
	p := plotLoss([]engine.Snapshot{snap}, w, h, lossOpts{logY: true, end: 300}, newStyles(0), 0)
	mean, _ := lossColumnsTo(&snap, plotColumns(w), false, 300)
	at := lastColumn([][]float64{mean})
	// The moment's loss ends where its step falls on a 1..300 axis.
	if want := int(mo.Step-1) * plotColumns(w) / 300; at != want {
		t.Fatalf("the loss of step %d ends in column %d of %d, want %d", mo.Step, at, plotColumns(w), want)
	}
	cursorRows := 0
	for _, l := range strings.Split(p.graph, "\n") {
		r := []rune(l)
		if x := axisIndex(r) + 1 + at; axisIndex(r) >= 0 && x < len(r) && r[x] == '┊' {
			cursorRows++
		}
		if strings.ContainsRune(string(r[min(axisIndex(r)+2+at, len(r)):]), '─') {
			t.Fatalf("the loss is drawn past the moment's column %d:\n%s", at, p.graph)
		}
	}
	if cursorRows == 0 || !strings.Contains(p.footer[0], "↑"+engine.Commas(mo.Step)) || !strings.Contains(p.footer[0], "300") {
		t.Fatalf("no cursor at column %d, or no ↑%d on the axis:\n%s\n%s", at, mo.Step, p.graph, p.footer[0])
	}
	// x on the timeline: the moment's loss on a log step axis, the cursor still at it.
	m = keys(m, "x")
	if v := m.render(); m.msgBad || !m.plots.logSteps || !strings.Contains(v, "log step") || !strings.Contains(v, "↑"+engine.Commas(mo.Step)) {
		t.Fatalf("x on the timeline (%q):\n%s", m.msg, v)
	}
	// The live run's plot has no cursor.
	live := plotLoss([]engine.Snapshot{m.session.Main().Snapshot()}, w, h, lossOpts{logY: true}, newStyles(0), 0)
	if strings.ContainsRune(live.graph, '┊') || strings.Contains(live.footer[0], "↑") {
		t.Fatalf("the live loss plot has a cursor:\n%s", live.graph)
	}
}

// ? on the timeline lists the timeline's keys, and the help over a moment
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

// u on the timeline draws the moment's units: those of the question at
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

// From step 0 the what-if names the init and the activation too; from a
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

// The dashboard keeps its last frames as moments, one a frameGap at most:
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

// Every key that changes the setup (or moves the run back) keeps a moment
// just after it, named by what the key said: the action table's setup keys,
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

// A loaded network's timeline starts at its own step: t looks back no
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

// On a small screen the line above the header is one line that keeps the
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
