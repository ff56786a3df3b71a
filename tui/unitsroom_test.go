package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
)

// unitsModel is a paused dashboard on one of the units test nets.
func unitsModel(t testing.TB, tr *engine.Trainer, label string, w, h int) Model {
	t.Helper()
	m := New(engine.NewSession(tr.Clone(), label), Options{StartPaused: true})
	m.now = func() time.Time { return fixedNow }
	m.rate.reset(fixedNow, tr.Step())
	return sized(m, w, h)
}

func pressPage(m Model, code rune) Model {
	next, _ := m.Update(tea.KeyPressMsg{Code: code})
	return settle(next.(Model))
}

// The whole dashboard with the units room open, at the question's steps 0,
// 1, 2 and on a fitted answer, every page (pgdn turns them): 80×24 and 120×40.
func TestUnitsRoomDashboardGoldens(t *testing.T) {
	for _, c := range unitsCases(t) {
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			w, h := sz[0], sz[1]
			m := quiet(press(unitsModel(t, c.tr, c.name, w, h), "u"))
			if m.mode != modeUnits {
				t.Fatalf("%s: u opened mode %v", c.name, m.mode)
			}
			pages := m.unitsPages()
			var b strings.Builder
			for p := 0; p < pages; p++ {
				v := m.render()
				checkUncut(t, v, w, h)
				if want := fmt.Sprintf("page %d/%d", p+1, pages); pages > 1 && !strings.Contains(v, want) {
					t.Fatalf("%s %dx%d: page %d does not say %q:\n%s", c.name, w, h, p, want, v)
				}
				fmt.Fprintf(&b, "--- page %d of %d ---\n%s\n", p+1, pages, v)
				m = quiet(pressPage(m, tea.KeyPgDown))
			}
			golden(t, fmt.Sprintf("units/dashboard_%s_%dx%d", c.name, w, h), b.String())
		}
	}
}

// The room's keys: pages turn both ways and stop at the ends saying so,
// u and esc close it, and in a race it shows the lane tab picks.
func TestUnitsRoomKeys(t *testing.T) {
	c := unitsCases(t)[3]
	m := press(unitsModel(t, c.tr, c.name, 80, 24), "u")
	pages := m.unitsPages()
	if pages < 2 {
		t.Fatalf("the fitted answer's 60 units fit one page at 80×24: nothing to turn")
	}
	m = pressPage(m, tea.KeyPgUp)
	if m.units.page != 0 || !strings.Contains(m.msg, "first page") {
		t.Fatalf("pgup on page 1: page %d, %q", m.units.page, m.msg)
	}
	for i := 1; i < 50 && !strings.Contains(m.msg, "last page"); i++ {
		m = press(m, "right")
		if p := m.units.page; p != min(i, m.unitsPages()-1) {
			t.Fatalf("→ %d times: page %d of %d", i, p, m.unitsPages())
		}
	}
	pages = m.unitsPages()
	if m.units.page != pages-1 || !strings.Contains(m.msg, "last page") {
		t.Fatalf("→ to the end: page %d of %d, %q", m.units.page, pages, m.msg)
	}
	m = pressPage(m, tea.KeyPgDown)
	if m.units.page != pages-1 || !strings.Contains(m.msg, "last page") {
		t.Fatalf("pgdn on the last page: page %d, %q", m.units.page, m.msg)
	}
	if m = press(m, "left"); m.units.page != pages-2 {
		t.Fatalf("← from the last page: page %d", m.units.page)
	}
	if m = press(m, "esc"); m.mode != modePlots {
		t.Fatalf("esc left mode %v", m.mode)
	}
	if m = press(m, "u", "u"); m.mode != modePlots {
		t.Fatalf("u u left mode %v", m.mode)
	}

	m = press(m, "c", "tab", "u") // a race: lane B's units
	v := m.render()
	if want := "units · lane B "; !strings.Contains(v, want) {
		t.Fatalf("a race's room after tab does not say %q:\n%s", want, v)
	}
	if m.frame.units.Lanes[0].Step != m.session.Lane(1).Step() {
		t.Fatal("the room's report is not lane B's")
	}
}

// The report is taken only while the room or the kink row is drawn, and it
// follows the net live: a step later, the room's step is the run's.
func TestUnitsAreLiveAndOnlyWhileShown(t *testing.T) {
	m := unitsModel(t, unitsCases(t)[0].tr, "question", 100, 30)
	if len(m.frame.units.Lanes) == 0 {
		t.Fatal("the kink row is on by default, but the frame has no units")
	}
	m = press(m, "K")
	if len(m.frame.units.Lanes) != 0 {
		t.Fatal("K hid the kink row, but the frame still takes the units")
	}
	if strings.Contains(m.render(), "kinks ") {
		t.Fatal("K hid the kink row, but it is drawn")
	}
	m = press(m, "u", "n")
	if got, want := m.frame.units.Lanes[0].Step, m.session.Step(); got != want || want != 1 {
		t.Fatalf("after n in the room: the room shows step %d, the run is at %d", got, want)
	}
	if !strings.Contains(m.render(), "0 kinks") && !strings.Contains(m.render(), "0 kinks in (0,1]") {
		t.Fatalf("the question after one step has no kinks left in (0,1]:\n%s", m.render())
	}
	m = press(m, "u", "K")
	if !strings.Contains(m.render(), "kinks in (0,1]: 0 of 50") {
		t.Fatalf("K again: the kink row's count is not drawn:\n%s", m.render())
	}
}

// Followers see the teacher's units: in the published frame while a
// follower draws them, and not taken while nobody does.
func TestFollowersSeeTheTeachersUnits(t *testing.T) {
	teacher, student, hub, sent := classroom(t)
	if hub.unitsWant.Load() != 1 {
		t.Fatalf("a follower drawing the kink row: the hub counts %d", hub.unitsWant.Load())
	}
	teacher = press(teacher, "h") // the teacher turns to the lab, and so does the follower
	f, _ := hub.latest()
	next, _ := student.Update(sharedFrameMsg{f})
	student = next.(Model)
	if student.mode != modeLab || hub.unitsWant.Load() != 0 {
		t.Fatalf("the follower in mode %v; the hub counts %d followers drawing units", student.mode, hub.unitsWant.Load())
	}
	if teacher = press(teacher, "n"); len(teacher.frame.units.Lanes) != 0 {
		t.Fatal("the teacher takes the units while nobody draws them")
	}
	for drained := false; !drained; { // the join's messages
		select {
		case <-sent:
		default:
			drained = true
		}
	}
	student = press(student, "u")
	if hub.unitsWant.Load() != 1 {
		t.Fatalf("a follower in the units room: the hub counts %d", hub.unitsWant.Load())
	}
	select { // the paused teacher is told, and draws a frame with its units
	case msg := <-sent:
		next, _ := teacher.Update(msg)
		teacher = next.(Model)
	case <-time.After(time.Minute):
		t.Fatal("the teacher was not told a follower wants its units")
	}
	f, ok := hub.latest()
	if !ok || len(f.units.Lanes) == 0 || f.units.Lanes[0].Step != teacher.session.Step() {
		t.Fatal("the teacher's published frame lacks its units at its step")
	}
	next, _ = student.Update(sharedFrameMsg{f})
	student = next.(Model)
	v := student.render()
	if want := "units · step " + engine.Commas(teacher.session.Step()); student.mode != modeUnits || !strings.Contains(v, want) {
		t.Fatalf("the follower's room does not show the teacher's step (%q):\n%s", want, v)
	}
	student = press(student, "h")
	if hub.unitsWant.Load() != 0 {
		t.Fatalf("the follower left the room for the lab: the hub still counts %d", hub.unitsWant.Load())
	}
}

// BenchmarkViewUnitsRoom is the whole View with the units room open at
// 200×60 on the fitted answer (the budget: 2 ms).
func BenchmarkViewUnitsRoom(b *testing.B) {
	m := press(unitsModel(b, unitsCases(b)[3].tr, "answer", 200, 60), "u")
	if m.mode != modeUnits {
		b.Fatal("u did not open the room")
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = m.render()
	}
}

// The kink row: under the fit plot's x axis, its cells exactly the kink
// row of the picked lane at the plot's data width, aligned with the data
// columns; on in the classroom layout at 80×24, dropped where the plot
// would be crushed, hidden by K.
func TestKinkRowOnTheFitPlot(t *testing.T) {
	c := unitsCases(t)[3]
	m := unitsModel(t, c.tr, c.name, 120, 40)
	v := m.render()
	lines := strings.Split(v, "\n")
	row := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "│   kinks  ") {
			row = i
		}
	}
	if row < 1 || !strings.Contains(lines[row-1], "x  0") {
		t.Fatalf("no kink row right under the fit's x axis:\n%s", v)
	}
	fitW := 120 / 2
	cols := plotColumns(fitW - 4)
	rep := m.frame.units.Lanes[0]
	want := strings.TrimRight(kinkRow(&rep, cols, m.st), " ")
	got := []rune(lines[row])[2+labelWidth+2:] // the border and padding, the label, as xAxis writes them
	if s := strings.TrimRight(string(got[:cols]), " "); s != want || want == "" {
		t.Fatalf("the kink row's cells %q, want %q", s, want)
	}
	if !strings.Contains(v, fmt.Sprintf("kinks in (0,1]: %d of 50 units", rep.InDomain(0))) {
		t.Fatalf("no kink count in the legend:\n%s", v)
	}

	small := unitsModel(t, c.tr, c.name, 60, 16)
	if v := small.render(); strings.Contains(v, "kinks") {
		t.Fatalf("60×16 has no room for the kink row, but it is drawn:\n%s", v)
	}
	tr := c.tr.Clone()
	class := New(engine.NewSession(tr, c.name), Options{StartPaused: true, Classroom: true})
	class.now = func() time.Time { return fixedNow }
	class = sized(class, 80, 24)
	if v := class.render(); !strings.Contains(v, "│   kinks  ") {
		t.Fatalf("the classroom layout at 80×24 has no kink row:\n%s", v)
	}
	if v := press(class, "K").render(); strings.Contains(v, "│   kinks  ") {
		t.Fatalf("K did not hide the kink row:\n%s", v)
	}
}

// On another domain the units room names the run's domain, as the kink row
// does, in its title, its head, its glyph key, its column header and each
// layer's heading: never the question's (0,1]. A heading is whole at 60×16
// too (the units' order gives way).
func TestUnitsRoomSaysTheDomain(t *testing.T) {
	c := engine.DefaultConfig()
	c.Init, c.Target, c.DomainLo, c.DomainHi = "normal", "sin", -1, 2
	tr, err := engine.New(c)
	if err != nil {
		t.Fatal(err)
	}
	tr.Run(50)
	dom := reportDomain(&engine.UnitReport{Lo: c.DomainLo, Hi: c.Hi()})
	for _, sz := range [][2]int{{60, 16}, {80, 24}, {120, 40}, {200, 60}} {
		m := quiet(press(unitsModel(t, tr, "sin", sz[0], sz[1]), "u"))
		v := m.render()
		for _, l := range strings.Split(v, "\n") {
			if strings.HasPrefix(l, "layer ") && strings.Contains(l, "…") {
				t.Errorf("%dx%d: a layer's heading is cut: %q", sz[0], sz[1], l)
			}
		}
		if sz[0] < 80 {
			continue // the head and the glyph key are cut to fit there
		}
		if strings.Contains(v, "(0,1]") || m.mode != modeUnits {
			t.Fatalf("%dx%d: the units room on %s still says (0,1]:\n%s", sz[0], sz[1], dom, v)
		}
		for _, want := range []string{"output over " + dom, "kinks in " + dom, "with a kink in " + dom, "live on all of " + dom} {
			if !strings.Contains(v, want) {
				t.Errorf("%dx%d: the units room lacks %q:\n%s", sz[0], sz[1], want, v)
			}
		}
	}
}
