package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
	"lnfit/engine/collapse"
	"lnfit/engine/runner"
)

// tinyMaps makes the map room's work small: 81 cells × 1 seed × 5 steps.
func tinyMaps(s collapse.Spec) collapse.Spec { s.Seeds, s.Steps = 1, 5; return s }

// tinyMapsIn makes every map of c tiny work.
func tinyMapsIn(c *MapCache) {
	c.spec = func(cfg engine.Config) (collapse.Spec, error) {
		s, err := mapSpecFor(cfg)
		return tinyMaps(s), err
	}
}

// waitOpenMap waits for the open map (looking at it meanwhile, as the
// room's poll does) and rebuilds the frame.
func waitOpenMap(t *testing.T, m Model) Model {
	t.Helper()
	room := m.openRoom()
	if room == nil {
		t.Fatal("no map open")
	}
	waitMap(t, m.opts.Maps, room)
	m.refresh()
	return m
}

func lessonModel(t *testing.T, name string, o Options) Model {
	t.Helper()
	l, err := runner.GetLesson(name)
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := engine.New(engine.DefaultConfig())
	o.Lesson, o.StartPaused = l, true
	m := New(engine.NewSession(tr, "question"), o)
	m.now = func() time.Time { return fixedNow }
	return m
}

// Issue 19, bug 1: in a lesson the map's enter is refused like every key
// that changes the run, and the lesson goes on.
func TestMapEnterInALessonIsRefused(t *testing.T) {
	m := sized(lessonModel(t, "seed-story", Options{}), 100, 30)
	tinyMapsIn(m.opts.Maps)
	before := m.session.Setup().Token()
	m = waitOpenMap(t, press(m, "m"))
	m = press(m, "left", "enter")
	if !m.lessonActive() || m.session.Setup().Token() != before || !m.msgBad || !strings.Contains(m.msg, "the lesson sets up the run") {
		t.Fatalf("enter on the map in a lesson: lesson %v, setup changed %v, message %q", m.lessonActive(), m.session.Setup().Token() != before, m.msg)
	}
	m = press(m, "L", "m", "m")
	m = waitOpenMap(t, m)
	m = press(m, "left", "enter")
	if m.session.Setup().Token() == before || m.mode != modePlots {
		t.Fatalf("after the lesson, enter did not restart at the cell: %q", m.msg)
	}
}

// Issue 19, bug 2: the activations lesson's leaky-ReLU run diverges, and
// space goes on to the tanh part and the end: no state where only L works.
func TestActivationsLessonGoesOnAfterTheDivergence(t *testing.T) {
	m := sized(lessonModel(t, "activations", Options{}), 80, 24)
	m.pace.speed = 4 // 100 steps a frame
	sawDiverged, sawTanh := false, false
	// Until the tanh part has trained a while (its 10,000 steps would only
	// make the test slow under -race).
	for guard := 0; guard < 5000 && !(sawTanh && m.session.Step() >= 200); guard++ {
		if m.session.AllDiverged() {
			sawDiverged = true
		}
		if m.session.Main().Config().Activation == "tanh" {
			sawTanh = true
		}
		if !m.running {
			if a := m.resolve("space"); a == nil || m.why(a, "space") != "" {
				t.Fatalf("space does not work in the lesson at step %d: %v", m.session.Step(), m.why(a, "space"))
			}
			if v := m.render(); m.session.AllDiverged() && (strings.Contains(v, "r resets") || !strings.Contains(v, "space continues")) {
				t.Fatalf("a lesson's diverged screen points at keys the lesson refuses:\n%s", v)
			}
			m = press(m, "space")
			if m.msgBad && strings.Contains(m.msg, "r resets") {
				t.Fatalf("space in the lesson says %q", m.msg)
			}
			continue
		}
		next, _ := m.Update(tickMsg{id: m.tickID})
		m = next.(Model)
	}
	if !sawDiverged || !sawTanh || m.session.Step() < 200 {
		t.Fatalf("diverged %v, reached tanh %v (step %d, caption %q)", sawDiverged, sawTanh, m.session.Step(), m.run.Caption)
	}
}

// classroom is a teacher and a follower on one hub, the teacher's program
// played by the test: forks are answered from the teacher's session.
func classroom(t *testing.T) (teacher, student Model, hub *Hub, sent chan tea.Msg) {
	t.Helper()
	hub = NewHub()
	teacher = sized(newModelWith(t, "question", Options{Hub: hub}), 100, 30)
	sent = make(chan tea.Msg, 16)
	hub.SetTeacher(func(msg tea.Msg) {
		if fr, ok := msg.(forkRequest); ok {
			fr.reply <- teacher.session.Clone()
			return
		}
		sent <- msg
	})
	tr, _ := engine.New(engine.DefaultConfig())
	student = New(engine.NewSession(tr, "following"), Options{Hub: hub, Follow: true, Remote: true, StartPaused: true})
	student.now = func() time.Time { return fixedNow }
	student = sized(student, 100, 30)
	teacher.refresh()
	f, _ := hub.latest()
	next, _ := student.Update(sharedFrameMsg{f})
	return teacher, next.(Model), hub, sent
}

func newModelWith(t *testing.T, preset string, o Options) Model {
	m := newModel(t, preset, 0)
	o.StartPaused = true
	n := New(m.session, o)
	n.now = m.now
	return n
}

// forkOf presses f and delivers the copy, as the program would.
func forkOf(t *testing.T, m Model) Model {
	t.Helper()
	next, cmd := m.Update(tea.KeyPressMsg{Code: 'f', Text: "f"})
	m = next.(Model)
	msg, ok := cmd().(tea.BatchMsg)
	if !ok {
		t.Fatal("f gave no command")
	}
	for _, c := range msg {
		if c == nil {
			continue
		}
		if fm, ok := c().(forkedMsg); ok {
			next, _ = m.Update(fm)
			return settle(next.(Model))
		}
	}
	t.Fatal("f did not fork")
	return m
}

// Issue 19, bug 3: a student's fork is a solo run: space pauses, < and >
// change the pace, L opens the lessons, w shows the token, ? lists them.
func TestForkIsASoloRun(t *testing.T) {
	_, st, _, _ := classroom(t)
	if st.role.kind != roleFollower || !strings.Contains(st.render(), "following the teacher") {
		t.Fatalf("not following: %v", st.role.kind)
	}
	st = press(st, "space")
	if !st.msgBad || !strings.Contains(st.msg, "teacher's key") {
		t.Fatalf("a follower's space: %q", st.msg)
	}
	st = forkOf(t, st)
	if st.role.kind != roleFork || !st.running {
		t.Fatalf("after f: role %v, running %v", st.role.kind, st.running)
	}
	st = press(st, "space")
	if st.running || st.msgBad {
		t.Fatalf("space on a fork: running %v, %q", st.running, st.msg)
	}
	speed := st.pace.label()
	st = press(st, "<")
	if st.pace.label() == speed || st.msgBad {
		t.Fatalf("< on a fork: pace %s, %q", st.pace.label(), st.msg)
	}
	st = press(st, "?")
	help := st.render()
	for _, want := range []string{"space", "> <", "L ", "w ", "F "} {
		if !strings.Contains(help, " "+want) {
			t.Errorf("a fork's ? lacks %q:\n%s", want, help)
		}
	}
	st = press(st, "?", "w")
	if st.mode != modeHelp || !strings.Contains(st.render(), "this setup:") {
		t.Fatalf("w on a fork does not show the token: %q", st.msg)
	}
	st = press(st, "?", "L")
	if st.mode != modePicker {
		t.Fatal("L on a fork does not open the lessons")
	}
}

// Issue 19, bug 4: the teacher's header counts a student who joins without
// the teacher pressing a key.
func TestTeacherCountsFollowersWithoutAKey(t *testing.T) {
	teacher, _, hub, sent := classroom(t) // its student is fed frames by hand: not subscribed
	if !strings.Contains(teacher.render(), "teaching: 0 following") {
		t.Fatal("the teacher does not start at 0 following")
	}
	stop := hub.Follow(func(tea.Msg) {})
	defer stop()
	var msg tea.Msg
	select {
	case msg = <-sent:
	case <-time.After(time.Minute):
		t.Fatal("the hub did not tell the teacher")
	}
	next, _ := teacher.Update(msg)
	teacher = next.(Model)
	if want := "teaching: 1 following"; !strings.Contains(teacher.render(), want) {
		t.Fatalf("the header lacks %q:\n%s", want, teacher.render())
	}
}
