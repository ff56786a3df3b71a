package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/presets"
)

// raceStart is the walk's name for raceLesson (walk_test.go).
const raceStart = "walk-race"

// raceLesson is a lesson whose challenge starts the class's race.
const raceLesson = "challenge mse<1e-2 max 50000\nsay fork the question's net and make it learn, changing one thing\nwait"

// racingTeacher is a teacher's dashboard on hub playing raceLesson at step
// 300 of the question.
func racingTeacher(t testing.TB, hub *Hub, w, h int) Model {
	t.Helper()
	l, err := runner.ParseLesson("race", raceLesson)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := presets.Get("question")
	tr, _ := engine.New(p.Config)
	tr.Run(300)
	m := New(engine.NewSession(tr, "question"), Options{Hub: hub, StartPaused: true, Lesson: l,
		Address: "ssh -p 2323 THIS-MACHINE", ClassCode: "owl"})
	m.now = func() time.Time { return fixedNow }
	m.rate.reset(fixedNow, tr.Step())
	hub.SetTeacher(func(tea.Msg) {})
	return sized(m, w, h)
}

// raceClass seats four students with fixed figures: ana met the challenge,
// bo is still trying, cy follows, dee trained past its steps.
func raceClass(hub *Hub) {
	ms := time.Millisecond
	seat := func(name, from string, ago time.Duration, figs ...seatFigures) {
		id := hub.Join(name, from, fixedNow.Add(-ago), func() {})
		for _, f := range figs {
			hub.report(id, f, &frame{})
		}
	}
	seat("ana", "127.0.0.1", 4*time.Minute,
		seatFigures{forked: true, label: "question", step: 300, mse: 0.786, verdict: "collapsed"},
		seatFigures{forked: true, label: "question · init → normal", step: 2400, trained: 2400, cpu: 350 * ms, mse: 0.0081, verdict: "learning"})
	seat("bo", "10.0.0.7", 3*time.Minute,
		seatFigures{forked: true, label: "question", step: 300, mse: 0.786, verdict: "collapsed"},
		seatFigures{forked: true, label: "question · optimizer → momentum", step: 9300, trained: 9000, cpu: 1200 * ms, mse: 0.786, verdict: "collapsed"})
	seat("cy", "192.168.100.200", 2*time.Minute)
	seat("dee", "10.0.0.9", time.Minute,
		seatFigures{forked: true, label: "question", step: 300, mse: 0.786, verdict: "collapsed"},
		seatFigures{forked: true, label: "question · lr → 0.001", step: 50400, trained: 50100, cpu: 7 * time.Second, mse: 0.41, verdict: "learning"})
}

// The lesson's challenge reaches the hub, and the class room ranks the
// forks by it (the sort starts at met): at 80×24 and 120×40, held by
// goldens, nothing cut.
func TestChallengeGoldens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		hub := NewHub()
		teacher := racingTeacher(t, hub, size[0], size[1])
		if got := hub.challengeText(); got != "mse<0.01 within 50,000 steps of the fork" {
			t.Fatalf("the lesson's challenge did not reach the class: %q (%s)", got, teacher.msg)
		}
		raceClass(hub)
		teacher = quiet(press(teacher, "k"))
		v := teacher.render()
		checkUncut(t, v, size[0], size[1])
		rows := teacher.frame.class
		if len(rows) != 4 || rows[0].name != "ana" || !rows[0].met || rows[0].metAt != 2400 || rows[0].metCPU != 350*time.Millisecond {
			t.Fatalf("ana, who met it, is not ranked first: %+v", rows)
		}
		for _, want := range []string{"sorted by met", "1 met the challenge", "challenge: mse<0.01 within 50,000 steps", "2.4k", "0.35s", "over", "init → normal"} {
			if !strings.Contains(v, want) {
				t.Fatalf("%dx%d: the class room lacks %q:\n%s", size[0], size[1], want, v)
			}
		}
		golden(t, "classroom_challenge_"+map[int]string{80: "80x24", 120: "120x40"}[size[0]], v)
		// The teacher's own sort stands over the ranking.
		teacher = press(teacher, "left")
		if teacher.frame.class[0].name != "ana" || classColumns[teacher.class.sortBy] != "mse" {
			t.Fatalf("sorted by %s: %+v", classColumns[teacher.class.sortBy], teacher.frame.class)
		}
		teacher = press(teacher, "left")
		if classColumns[teacher.class.sortBy] != "step" || teacher.frame.class[0].name != "dee" {
			t.Fatalf("sorted by step, dee (50k) is not first: %+v", teacher.frame.class)
		}
	}
}

// Narrower than 80 columns the class room says so in one clear line, with
// the class's figures; nothing cut.
func TestClassRoomNarrow(t *testing.T) {
	hub := NewHub()
	teacher := racingTeacher(t, hub, 60, 16)
	raceClass(hub)
	teacher = quiet(press(teacher, "k"))
	v := teacher.render()
	checkUncut(t, v, 60, 16)
	for _, want := range []string{"the class room needs 80 columns (this terminal has 60)", "4 sessions, 3 forks, 1 met the challenge"} {
		if !strings.Contains(strings.Join(strings.Fields(v), " "), want) {
			t.Fatalf("at 60×16 the class room lacks %q:\n%s", want, v)
		}
	}
}

// A lesson with a challenge is a class's: a solo dashboard refuses it, with
// its line, and keeps its own run.
func TestSoloRefusesChallengeLesson(t *testing.T) {
	l, err := runner.ParseLesson("race", raceLesson)
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := engine.New(engine.DefaultConfig())
	m := New(engine.NewSession(tr, "question"), Options{StartPaused: true, Lesson: l})
	if m.run.Lesson != nil || !m.msgBad || !strings.Contains(m.msg, "lesson race line 1 (challenge)") || !strings.Contains(m.msg, "--broadcast") {
		t.Fatalf("a solo dashboard played a challenge: lesson %v, %q", m.run.Lesson != nil, m.msg)
	}
}

// A name a student types is anything a client sends: the class room keeps
// its printable characters, one space for a run of spaces, at most 16
// cells; nothing left is no name.
func TestSeatName(t *testing.T) {
	for in, want := range map[string]string{
		"ana":                          "ana",
		"  Ana \t Lovelace  ":          "Ana Lovelace",
		"bo\x1b[2J\x07\u200b":          "bo[2J",
		"\x1b\x00\r\n":                 "",
		"Ada Augusta King of Lovelace": "Ada Augusta King",
		"李小龙李小龙李小龙李小龙":                 "李小龙李小龙李小", // 2 cells each
		"\xff\xfeok":                   "ok",
		strings.Repeat("x", 1<<20):     strings.Repeat("x", 16),
	} {
		if got := SeatName(in); got != want {
			t.Errorf("SeatName(%q) = %q, want %q", engine.ShortText(in, 40), got, want)
		}
	}
	hub := NewHub()
	hub.Join("\x1b\x1b", "x", fixedNow, nil)
	if rows := hub.roster(); rows[0].name != "(no name)" {
		t.Fatalf("a name of nothing printable is %q", rows[0].name)
	}
}

// The walk from the lesson with a challenge, as each role, a few seeds
// each; the teacher's walks open the class room first, and half of them
// press only its keys (and space, n, ?, q).
func TestWalkRace(t *testing.T) {
	n := uint64(12)
	if raceOn {
		n = 3
	}
	dir, maps := t.TempDir(), NewMapCache()
	roles := []roleKind{roleTeacher, roleTeacher, roleSolo, roleFollower, roleFork}
	for seed := uint64(1); seed <= n; seed++ {
		for i, role := range roles {
			w := newWalkAs(t, seed*uint64(len(roles))+uint64(i), dir, maps, raceStart, role)
			if role == roleTeacher {
				w.key("k")
				w.check()
				if i == 0 {
					w.keys = []string{"up", "down", "left", "right", "enter", "X", "esc", "k", "space", "n", "?", "q"}
				}
			}
			w.run(40, map[string]int{})
		}
	}
}

// In a race a new fork waits for the student's change (its clock counts the
// steps it trains), saying the challenge; without one it runs at once.
// The steps it then trains are its clock.
func TestForkWaitsInARace(t *testing.T) {
	for _, racing := range []bool{false, true} {
		hub := NewHub()
		teacher := sized(teacherWith(t, hub), 80, 24)
		if racing {
			c, _ := ParseChallenge("mse<1e-2 max 50000")
			hub.SetChallenge(&c)
		}
		ana := scripted(t, hub, "ana", "127.0.0.1", fixedNow)
		ana.resume() // a follower's ticks run, as over SSH
		next, _ := ana.Update(forkedMsg{s: teacher.session.Clone()})
		ana = next.(Model)
		waits := strings.Contains(ana.msg, "your own copy from step 300, paused for the challenge (mse<0.01 within 50,000 steps of the fork)")
		if ana.running == racing || waits != racing {
			t.Fatalf("racing %v: the fork runs %v: %q", racing, ana.running, ana.msg)
		}
		if !racing {
			ana.pause() // n steps a paused run
		}
		ana = press(ana, "i", "n", "n", "n")
		rows := hub.roster()
		if rows[0].trained-rows[0].forkTrained != 3 {
			t.Fatalf("racing %v: 3 steps after the change, the fork's clock says %d", racing, rows[0].trained-rows[0].forkTrained)
		}
	}
}

// The teacher's footer keeps whole parts, the ssh line first, at any width.
func TestClassFooterFits(t *testing.T) {
	hub := NewHub()
	for w, want := range map[int]string{
		80: " students: ssh -p 2323 THIS-MACHINE · class code owl · k: the class",
		60: " students: ssh -p 2323 THIS-MACHINE · class code owl",
		40: " students: ssh -p 2323 THIS-MACHINE\n class code owl · k: the class",
		20: " students: ssh -p 2…\n class code owl",
	} {
		m := teacherWith(t, hub)
		if got := m.classFooter(w); got != want {
			t.Errorf("at %d columns the footer is %q, want %q", w, got, want)
		}
	}
}

// A fork hears when a frame decides its race: met (steps and CPU seconds),
// or out past the steps.
func TestForkHearsItsRace(t *testing.T) {
	for _, c := range []struct{ challenge, want string }{
		{"mse<10 max 5", "you met the challenge (mse<10) after 0 steps and 0.00s of your fair CPU share"}, // the teacher's run meets it already
		{"mse<1e-9 max 2", "2 steps since your fork without mse<1e-09: this fork is out of the challenge"},
	} {
		hub := NewHub()
		teacher := sized(teacherWith(t, hub), 80, 24)
		ch, _ := ParseChallenge(c.challenge)
		hub.SetChallenge(&ch)
		ana := forkAs(t, scripted(t, hub, "ana", "127.0.0.1", fixedNow), &teacher)
		for i := 0; i < 3 && !strings.Contains(ana.msg, c.want); i++ {
			ana = press(ana, "n")
		}
		if !strings.Contains(ana.msg, c.want) {
			t.Fatalf("%s: the fork was told %q", c.challenge, ana.msg)
		}
	}
}
