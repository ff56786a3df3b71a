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
	if n := teacher.tl.keep.Len(); n <= kept || student.tl.keep.Len() != n || !strings.Contains(v, fmt.Sprintf("moment 1 of %d", n)) {
		t.Fatalf("the follower's timeline did not grow with the teacher's %d moments (%d at t):\n%s", n, kept, v)
	}
	followerRows(t, student)
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
// u on the timeline draws the moment's units: those of the question at
// From step 0 the what-if names the init and the activation too; from a
// The dashboard keeps its last frames as moments, one a frameGap at most:
// Every key that changes the setup (or moves the run back) keeps a moment
// just after it, named by what the key said: the action table's setup keys,
// A loaded network's timeline starts at its own step: t looks back no
// On a small screen the line above the header is one line that keeps the
