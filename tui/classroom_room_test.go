package tui

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
	"lnfit/presets"
)

// scripted is a student's dashboard on a hub seat, driven by the test.
func scripted(t testing.TB, hub *Hub, name, from string, joined time.Time) Model {
	t.Helper()
	tr, _ := engine.New(engine.DefaultConfig())
	var m Model
	id := hub.Join(name, from, joined, func() {})
	m = New(engine.NewSession(tr, "following"), Options{Hub: hub, Follow: true, Remote: true, StartPaused: true, Seat: id})
	m.now = func() time.Time { return fixedNow }
	return m
}

// forkAs makes a student's dashboard a fork of the teacher's run, changed by keys.
func forkAs(t testing.TB, m Model, teacher *Model, keys ...string) Model {
	t.Helper()
	next, _ := m.Update(forkedMsg{s: teacher.session.Clone()})
	m = next.(Model)
	m.pause()
	m = press(m, keys...)
	return m
}

// walkClass seats three students on a walk's teacher hub (one forked, with
// figures) and one follower, so q asks and the class room has rows.
func walkClass(t *testing.T, hub *Hub) {
	hub.Join("ana", "127.0.0.1", fixedNow.Add(-3*time.Minute), func() {})
	id := hub.Join("bo", "10.0.0.7", fixedNow.Add(-90*time.Second), func() {})
	hub.Join("cy", "192.168.100.200", fixedNow.Add(-2*time.Hour), func() {})
	hub.report(id, seatFigures{forked: true, label: "question · init → normal", step: 1200, mse: 0.004, verdict: "learning"}, &frame{})
	stop := hub.Follow(func(tea.Msg) {})
	t.Cleanup(stop)
}

// teacherWith is a teacher's dashboard on hub, at step 300 of the question.
func teacherWith(t testing.TB, hub *Hub) Model {
	t.Helper()
	p, _ := presets.Get("question")
	tr, _ := engine.New(p.Config)
	tr.Run(300)
	m := New(engine.NewSession(tr, "question"), Options{Hub: hub, StartPaused: true, Address: "ssh -p 2323 THIS-MACHINE", ClassCode: "owl"})
	m.now = func() time.Time { return fixedNow }
	m.rate.reset(fixedNow, tr.Step())
	hub.SetTeacher(func(tea.Msg) {})
	return m
}

// Three scripted students: two fork (one changes the init, one the
// optimizer), one follows. The class room lists all three with what each
// changed, live, at 80×24; sorting by mse puts the forks first.
func TestClassRoomThreeStudents(t *testing.T) {
	hub := NewHub()
	teacher := sized(teacherWith(t, hub), 80, 24)
	ana := scripted(t, hub, "ana", "127.0.0.1", fixedNow.Add(-3*time.Minute))
	bo := scripted(t, hub, "bo", "127.0.0.1", fixedNow.Add(-90*time.Second))
	cy := scripted(t, hub, "cy", "127.0.0.1", fixedNow.Add(-20*time.Second))
	ana = forkAs(t, ana, &teacher, "i")
	bo = forkAs(t, bo, &teacher, "o")
	ana = press(ana, "n", "n", "n")
	cy = press(cy, "l") // a follower's key: its seat says it follows
	teacher = quiet(press(teacher, "k"))
	v := teacher.render()
	checkUncut(t, v, 80, 24)
	for _, want := range []string{"3 sessions", "ana", "init → normal", "bo", "momentum", "cy", "follows", "fork", "students: ssh -p 2323 THIS-MACHINE · class code owl"} {
		if !strings.Contains(v, want) {
			t.Fatalf("the class room lacks %q:\n%s", want, v)
		}
	}
	if ana.session.Step() != 3 || !strings.Contains(v, "fork    3 ") { // i restarts her run; then three n
		t.Fatalf("ana's step (%d) is not on the list:\n%s", ana.session.Step(), v)
	}
	golden(t, "classroom_room_80x24", v)

	// Live: ana steps again, and the teacher's next poll shows it.
	ana = press(ana, "n")
	next, _ := teacher.Update(classPollMsg{})
	teacher = next.(Model)
	if !strings.Contains(teacher.render(), "fork    4 ") {
		t.Fatalf("the class room did not follow ana's step:\n%s", teacher.render())
	}
	teacher = press(teacher, "right", "right", "right", "right", "right") // sorted by mse
	rows := teacher.frame.class
	if len(rows) != 3 || !rows[0].forked || !rows[1].forked || rows[2].name != "cy" {
		t.Fatalf("sorted by mse, the forks do not come first: %+v", rows)
	}
	if rows[0].mse > rows[1].mse {
		t.Fatalf("sorted by mse, %s (%g) comes before %s (%g)", rows[0].name, rows[0].mse, rows[1].name, rows[1].mse)
	}
}

// The teacher shows bo's fork: a follower's header says whose run it is,
// and its steps are bo's; esc gives the follower the teacher's run again.
// X ends a session.
func TestClassRoomShowAndEnd(t *testing.T) {
	hub := NewHub()
	teacher := sized(teacherWith(t, hub), 80, 24)
	ended := make(chan string, 4)
	bo := scripted(t, hub, "bo", "127.0.0.1", fixedNow)
	cyID := hub.Join("cy", "127.0.0.1", fixedNow, func() { ended <- "cy" })
	bo = forkAs(t, bo, &teacher, "o")
	bo = press(bo, "n", "n")
	frames := make(chan frame, 64)
	stop := hub.Follow(func(msg tea.Msg) {
		if f, ok := msg.(sharedFrameMsg); ok {
			select {
			case frames <- f.f:
			default:
			}
		}
	})
	defer stop()
	teacher = press(teacher, "k")
	if r, why := teacher.picked(); why != "" || r.name != "bo" {
		t.Fatalf("the cursor is not on bo, the first to join: %+v %q", r, why)
	}
	teacher = press(teacher, "enter")
	if hub.showing() != "bo" {
		t.Fatalf("enter did not show bo's fork: %q", teacher.msg)
	}
	bo = press(bo, "n") // bo's next frame goes to the class
	f, ok := hub.latest()
	if !ok || !strings.HasPrefix(f.label, "bo's fork · ") || f.snaps[0].Step != bo.session.Step() {
		t.Fatalf("the followers do not see bo's run: %q at step %d", f.label, f.snaps[0].Step)
	}
	for seen := false; !seen; { // a real follower's mailbox gets bo's run
		select {
		case f := <-frames:
			seen = strings.HasPrefix(f.label, "bo's fork · ")
		case <-time.After(time.Minute):
			t.Fatal("no follower was sent bo's run")
		}
	}
	if f, _ := hub.latest(); f.class != nil || f.address != "" {
		t.Fatal("the class's list (names, addresses) reached the followers")
	}
	teacher = press(teacher, "esc")
	f, _ = hub.latest()
	if hub.showing() != "" || strings.Contains(f.label, "bo's") || f.snaps[0].Step != teacher.session.Step() {
		t.Fatalf("esc did not give the followers the teacher's run: %q", f.label)
	}

	teacher = press(teacher, "down", "X") // cy: X asks first (F-C2)
	select {
	case who := <-ended:
		t.Fatalf("one X ended %s's session without asking", who)
	default:
	}
	if !strings.Contains(teacher.msg, "end cy's session? X again / esc") {
		t.Fatalf("X did not ask: %q", teacher.msg)
	}
	teacher = press(teacher, "esc", "X", "up", "down") // esc, and another key, forget the question
	if teacher = press(teacher, "X"); !strings.Contains(teacher.msg, "X again") {
		t.Fatalf("X after esc and other keys did not ask again: %q", teacher.msg)
	}
	teacher = press(teacher, "X")
	select {
	case who := <-ended:
		if who != "cy" {
			t.Fatalf("X ended %s", who)
		}
	case <-time.After(time.Minute):
		t.Fatalf("X did not end cy's session: %q", teacher.msg)
	}
	hub.Leave(cyID)
	if hub.Seats() != 1 {
		t.Fatalf("%d seats after cy left, want 1", hub.Seats())
	}
}

// q asks the teacher first when anyone is connected: esc keeps the class, q
// again ends it; with nobody connected q ends at once.
func TestTeacherQuitAsks(t *testing.T) {
	hub := NewHub()
	teacher := sized(teacherWith(t, hub), 80, 24)
	stop1, stop2 := hub.Follow(func(tea.Msg) {}), hub.Follow(func(tea.Msg) {})
	next, cmd := teacher.Update(keyMsg("q"))
	teacher = next.(Model)
	if isQuit(cmd) || !strings.Contains(teacher.msg, "end the class for 2 students? q again / esc") {
		t.Fatalf("q did not ask: %q", teacher.msg)
	}
	teacher = press(teacher, "esc")
	if teacher.class.asked || !strings.Contains(teacher.msg, "goes on") {
		t.Fatalf("esc did not keep the class: %q", teacher.msg)
	}
	teacher = press(teacher, "q", "l") // another key forgets the question
	if _, cmd = teacher.Update(keyMsg("q")); isQuit(cmd) {
		t.Fatal("q after another key ended the class without asking")
	}
	teacher = press(teacher, "q")
	if _, cmd = teacher.Update(keyMsg("q")); !isQuit(cmd) {
		t.Fatal("q twice did not end the class")
	}
	for _, mode := range [][]string{{"esc"}, {"esc", "p"}} { // ctrl+c asks as q does, in a picker too (F-C14)
		teacher = press(teacher, mode...)
		next, cmd = teacher.Update(keyMsg("ctrl+c"))
		teacher = next.(Model)
		if isQuit(cmd) || !strings.Contains(teacher.msg, "end the class for 2 students? ctrl+c again / esc") {
			t.Fatalf("ctrl+c (after %q) ended the class without asking: %q", mode, teacher.msg)
		}
		if _, cmd = teacher.Update(keyMsg("ctrl+c")); !isQuit(cmd) {
			t.Fatalf("ctrl+c twice (after %q) did not end the class", mode)
		}
	}
	teacher = press(teacher, "esc", "esc") // the picker closes, the question is forgotten
	stop1()
	stop2()
	if _, cmd = teacher.Update(keyMsg("q")); !isQuit(cmd) {
		t.Fatal("with nobody connected, q did not end at once")
	}
}

// A challenge ranks forks by the steps after their fork at which they met it.
func TestChallengeRanks(t *testing.T) {
	for _, bad := range []string{"", "mse", "mse<", "mse<-1", "mse<x", "mse<1e-3 max", "mse<1e-3 min 5", "mse<1e-3 max -4", "loss<1"} {
		if _, err := ParseChallenge(bad); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	c, err := ParseChallenge("mse<1e-3 max 50000")
	if err != nil || c.MSE != 1e-3 || c.Max != 50000 {
		t.Fatalf("%+v %v", c, err)
	}
	hub := NewHub()
	hub.SetChallenge(&c)
	a, b := hub.Join("a", "x", fixedNow, nil), hub.Join("b", "x", fixedNow, nil)
	o := hub.Join("o", "x", fixedNow, nil)
	ms := time.Millisecond
	hub.report(a, seatFigures{forked: true, step: 1000, trained: 0, mse: 0.5}, &frame{})
	hub.report(b, seatFigures{forked: true, step: 3000, trained: 0, mse: 0.5}, &frame{})
	hub.report(o, seatFigures{forked: true, step: 3000, trained: 0, mse: 0.5}, &frame{})
	hub.report(a, seatFigures{forked: true, step: 1800, trained: 800, cpu: 90 * ms, mse: 5e-4}, &frame{}) // met after 800
	hub.report(b, seatFigures{forked: true, step: 200, trained: 700, cpu: 40 * ms, mse: 0.5}, &frame{})   // restarted at 500
	hub.report(b, seatFigures{forked: true, step: 300, trained: 800, cpu: 60 * ms, mse: 9e-4}, &frame{})  // met after 800 trained, cheaper
	hub.report(a, seatFigures{forked: true, step: 1900, trained: 900, cpu: 99 * ms, mse: 1e-4}, &frame{}) // still 800: the first time counts
	hub.report(o, seatFigures{forked: true, step: 53001, trained: 50001, cpu: time.Second, mse: 0.5}, &frame{})
	hub.report(o, seatFigures{forked: true, step: 53002, trained: 50002, cpu: time.Second, mse: 1e-5}, &frame{}) // too late
	rows := sortRows(hub.roster(), indexOf(classColumns, "met"))
	if rows[0].name != "b" || rows[0].metAt != 800 || rows[0].metCPU != 60*ms || rows[1].metAt != 800 || rows[1].metCPU != 90*ms {
		t.Fatalf("ranked %+v", rows)
	}
	if rows[2].name != "o" || rows[2].met || !rows[2].over {
		t.Fatalf("a fork past the steps met it: %+v", rows[2])
	}
}

// At 60 columns the list is hidden, so enter and X (which act on the
// picked student) are refused and left off the key line (F-C7).
func TestNarrowClassRoomRefusesPicks(t *testing.T) {
	hub := NewHub()
	teacher := sized(teacherWith(t, hub), 60, 16)
	ended := make(chan string, 1)
	hub.Join("ana", "127.0.0.1", fixedNow, func() { ended <- "ana" })
	teacher = press(teacher, "k", "X")
	select {
	case <-ended:
		t.Fatal("X at 60 columns ended a student the teacher cannot see")
	default:
	}
	if !strings.Contains(teacher.msg, "needs 80 columns") {
		t.Fatalf("X at 60 columns was not refused: %q", teacher.msg)
	}
	if v := teacher.View().Content; strings.Contains(v, "end this session") || strings.Contains(v, "show this fork") {
		t.Fatalf("the 60-column key line still offers enter/X:\n%s", v)
	}
}

// The changed column keeps what fits and counts the rest, never dropping a
// change silently (F-C12: "init → normal" fixed the run and was cut at 80).
func TestClassRoomChangedNeverDrops(t *testing.T) {
	all := "optimizer → nesterov · init → normal"
	for _, c := range []struct {
		w    int
		want string
	}{{80, all}, {len([]rune(all)), all}, {17, "nesterov · normal"}, {11, "nesterov +1"}, {10, "2 changes"}, {5, "opti…"}} {
		if got := fitChanges(all, c.w); got != c.want {
			t.Errorf("%d cells: %q, want %q", c.w, got, c.want)
		}
	}
	line := classLine(80, false, "eve", "", "", "fork", "504k", "1.13e-04", "converged", "8.4k", "0.09s", all)
	if !strings.Contains(line, "nesterov") || !strings.Contains(line, "normal") {
		t.Fatalf("the 80-column row dropped a change silently: %q", line)
	}
}

// The mse column says where the forks' MSE is measured: x ≥ 0.01 only for
// ln, the whole domain for a function of your own (F-C13).
func TestClassRoomMSEHead(t *testing.T) {
	ln := seatRow{seatFigures: seatFigures{forked: true, mseOn: engine.AboveCutLn}}
	own := seatRow{seatFigures: seatFigures{forked: true, mseOn: engine.AboveWhole}}
	for _, c := range []struct {
		rows []seatRow
		want string
	}{{[]seatRow{ln}, "mse≥.01"}, {[]seatRow{own, own}, "mse all"}, {[]seatRow{ln, own}, "mse"}, {nil, "mse"}} {
		if got := mseHead(c.rows); got != c.want {
			t.Errorf("%+v: %q, want %q", c.rows, got, c.want)
		}
	}
}

// A name keeps all its cells where the row has room, and an MSE is never
// cut to another number (F-C11, F-C4).
func TestClassRoomNameAndMSECells(t *testing.T) {
	if l := classLine(200, true, "Ana Lovelace", "127.0.0.1", "5s", "follows", "—", "—", "—", "", "", "—"); !strings.Contains(l, "Ana Lovelace ") {
		t.Fatalf("200 columns cut the name: %q", l)
	}
	if l := classLine(80, false, "Ana Lovelace", "", "", "follows", "—", "—", "—", "", "", "—"); strings.Contains(l, "Ana Lovelace") || !strings.Contains(l, "Ana Lovela") {
		t.Fatalf("80 columns: the name's cells changed: %q", l)
	}
	for _, v := range []float64{2329.3188, 1.13e-4, 0.5, 123456789} {
		got := mseCell(v)
		back, err := strconv.ParseFloat(got, 64)
		if len(got) > 8 || err != nil || math.Abs(back-v) > 0.01*math.Abs(v) {
			t.Errorf("mse %v in the column: %q", v, got)
		}
	}
}
