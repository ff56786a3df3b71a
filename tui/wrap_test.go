package tui

import (
	"fmt"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"lnfit/engine/runner"
)

// wrapWords keeps the advice whole, cuts only between words, and leaves no
// short word alone on the last line.
func TestWrapKeepsTheAdviceAndNoLoneWord(t *testing.T) {
	verdict := "collapsed to a constant (-0.86): every ReLU in layer 1 is dead; only the output bias learns, heading for the mean of ln x (-1.00) — try i (init)"
	for _, c := range []struct {
		text     string
		w, lines int
	}{
		{verdict, 59, 2}, {verdict, 79, 2}, {verdict, 40, 3}, {verdict, 30, 1},
		{"not trained yet: net(x) runs from +71.7 to +131.1 on (0,1], where ln x is below 0", 79, 2},
		{"init: normal (truncated normal σ 0.1, b = 0.1) — restarted from step 0, seed 1", 59, 2},
		{"collapsed to the mean of ln x (≈ -1.00): every ReLU in layer 1 is dead — try i (init)", 79, 2},
	} {
		got := wrapWords(c.text, c.w, c.lines)
		if len(got) > c.lines {
			t.Errorf("%q at %d: %d lines, want at most %d", c.text, c.w, len(got), c.lines)
		}
		words := map[string]bool{"…": true}
		for _, w := range strings.Fields(c.text) {
			words[w] = true
		}
		for _, l := range got {
			if lipgloss.Width(l) > c.w {
				t.Errorf("%q at %d: line %q is wider", c.text, c.w, l)
			}
			for _, w := range strings.Fields(l) {
				if !words[w] {
					t.Errorf("%q at %d: %q is a cut word (lines %q)", c.text, c.w, w, got)
				}
			}
		}
		if last := got[len(got)-1]; len(got) > 1 && len(strings.Fields(last)) == 1 && lipgloss.Width(last) <= 3 {
			t.Errorf("%q at %d: a lone word %q on the last line", c.text, c.w, last)
		}
		if strings.Contains(c.text, "— try i (init)") && c.w >= 20 && !strings.Contains(strings.Join(got, "\n"), "— try i (init)") {
			t.Errorf("%q at %d: the advice is not whole on one line: %q", c.text, c.w, got)
		}
	}
}

// The init lab keeps its figures whole at 60 wide (the min and max columns
// give way first) and every layer on a 60×16 screen (‖∇‖ joins the W rows).
func TestLabFiguresWholeAt60(t *testing.T) {
	m := sized(newModel(t, "question", 3), 60, 16)
	m = press(m, "h")
	view := m.View().Content
	for _, want := range []string{"‖ΔW‖/‖W‖ 0.", "dead 50/50", "W3 ", "‖∇‖ "} {
		if !strings.Contains(view, want) {
			t.Fatalf("the lab at 60×16 lacks %q:\n%s", want, view)
		}
	}
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, "‖ΔW‖") && strings.Contains(l, "…") || strings.Contains(l, "dead 50/50 …") {
			t.Fatalf("a cut figure: %q\n%s", l, view)
		}
	}
}

// A room's message goes with the room: the help's "the end of the help"
// is taken back when it scrolls away and is gone once the help closes;
// a lesson's space says which caption of how many.
func TestMessagesStayWithTheirRoom(t *testing.T) {
	m := sized(newModel(t, "question", 0), 60, 16)
	m = press(m, "?")
	for i := 0; i < 60 && !strings.Contains(m.msg, "end of the help"); i++ {
		m = press(m, "down")
	}
	if !strings.Contains(m.frame.msg, "end of the help") {
		t.Fatalf("scrolled to the end: message %q", m.frame.msg)
	}
	m = press(m, "up")
	if strings.Contains(m.frame.msg, "end of the help") {
		t.Fatalf("scrolled back up, the message still says %q", m.frame.msg)
	}
	m = press(m, "down", "?")
	if m.mode != modePlots || strings.Contains(m.frame.msg, "help") {
		t.Fatalf("the help closed (mode %v), the message still says %q", m.mode, m.frame.msg)
	}
	m = press(m, "h")
	if m.frame.msg != "" {
		t.Fatalf("the lab opened under an old message %q", m.frame.msg)
	}

	l, err := runner.GetLesson("seed-story")
	if err != nil {
		t.Fatal(err)
	}
	ls := newModel(t, "question", 0)
	ls = sized(New(ls.session, Options{StartPaused: true, Lesson: l}), 80, 24)
	ls.stepCap = 1000
	for i := 0; i < 200 && !ls.run.Waiting; i++ {
		ls.running = true
		ls.train()
	}
	ls = press(ls, "space")
	shown, total := ls.lessonCaptions()
	if total < 2 || !strings.Contains(ls.msg, "seed-story") || !strings.Contains(ls.msg, fmt.Sprintf("of %d", total)) || shown < 1 {
		t.Fatalf("a lesson's space says %q (%d of %d)", ls.msg, shown, total)
	}
}

// After a divergence the key line offers what works: not space (nothing to
// run) nor + (a higher lr); r is there, and space says why not.
func TestDivergedKeyLineOffersWhatWorks(t *testing.T) {
	m := sized(newModel(t, "question", 0), 200, 30)
	if err := m.session.Set("lr", "10", -1); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2000 && !m.session.AllDiverged(); i++ {
		m.session.Run(1)
	}
	if !m.session.AllDiverged() {
		t.Skip("lr 10 did not diverge the question's net")
	}
	m.refresh()
	keys := map[string]bool{}
	for _, it := range m.frame.keyLine {
		keys[it[0]] = true
	}
	if keys["space"] || keys["+"] || !keys["r"] {
		t.Fatalf("diverged key line %v: want r, not space nor +", m.frame.keyLine)
	}
	m = press(m, "space")
	if !m.msgBad || !strings.Contains(m.msg, "diverged") {
		t.Fatalf("space after a divergence says %q", m.msg)
	}
}

// At 60×16 a caption too long for its two lines is read page by page:
// space turns the pages (a follower's too), and all of it is reachable;
// on the last page the presenter's space moves the lesson on.
func TestShortCaptionPagesAreAllReachable(t *testing.T) {
	l, err := runner.GetLesson("seed-story")
	if err != nil {
		t.Fatal(err)
	}
	teacher, student, hub, _ := classroom(t)
	teacher = sized(teacher, 60, 16)
	student = sized(student, 60, 16)
	teacher.startLesson(l)
	teacher.stepCap = 1000
	for teacher.run.Waiting && len(teacher.run.Caption) < 200 { // a long caption
		teacher = press(teacher, "space")
		for i := 0; i < 200 && !teacher.run.Waiting; i++ {
			teacher.running = true
			teacher.train()
		}
	}
	teacher.refresh()
	caption := teacher.run.Caption
	f, _ := hub.latest()
	next, _ := student.Update(sharedFrameMsg{f})
	student = next.(Model)
	for _, c := range []struct {
		who string
		m   Model
	}{{"teacher", teacher}, {"follower", student}} {
		m := c.m
		_, pages, cut := m.captionCut()
		if !cut {
			t.Fatalf("%s: a %d-character caption is not cut at 60×16", c.who, len(caption))
		}
		var read []string
		for p := 0; p < pages; p++ {
			for _, l := range strings.Split(m.shortCaption(60), "\n") {
				read = append(read, strings.Fields(strings.TrimSuffix(strings.TrimSpace(l), " …"))...)
			}
			m = press(m, "space")
		}
		got := strings.TrimSuffix(strings.Join(read, " "), " "+captionMark(c.m.frame.role))
		if want := strings.Join(strings.Fields(caption), " "); got != want {
			t.Fatalf("%s: the pages read\n%q\nwant the caption\n%q", c.who, got, want)
		}
		if c.who == "teacher" && m.run.Caption == caption && m.run.Waiting {
			t.Fatal("space on the last page did not move the lesson on")
		}
	}
}

// w's message names a long path by its end: the file's name stays whole in
// the room the message line has (walk seed 658 cut it at 80 columns).
func TestSavedPathKeepsItsName(t *testing.T) {
	long := "/tmp/TestWalkStates3241347951/001/a-folder-of-the-course/week-3/net-126.json"
	for _, room := range []int{30, 49, 69} {
		got := fitPath(long, room)
		if n := len([]rune(got)); n > room || !strings.HasSuffix(got, "/net-126.json") || !strings.HasPrefix(got, "…/") {
			t.Errorf("room %d: %q (%d cells)", room, got, n)
		}
	}
	if got := fitPath("/tmp/net.json", 30); got != "/tmp/net.json" {
		t.Errorf("a short path changed: %q", got)
	}
}
