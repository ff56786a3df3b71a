package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// What the students' side of a class says: the teacher's count, the
// challenge on a follower's and a fork's screen, a fork's pace.

// The teacher's header counts from the hub's seats: a fork is not
// "following". It moves when a student forks or follows again.
func TestTeacherCountsForks(t *testing.T) {
	hub := NewHub()
	teacher := sized(teacherWith(t, hub), 100, 30)
	ana := scripted(t, hub, "ana", "127.0.0.1", fixedNow)
	bo := scripted(t, hub, "bo", "127.0.0.1", fixedNow)
	scripted(t, hub, "cy", "127.0.0.1", fixedNow)
	for range 3 { // subscribed as the server's sessions are (a fork stays subscribed)
		t.Cleanup(hub.Follow(func(tea.Msg) {}))
	}
	header := func() string {
		next, _ := teacher.Update(followersMsg{})
		teacher = next.(Model)
		return teacher.header(100)
	}
	if h := header(); !strings.Contains(h, "teaching: 3 following") || strings.Contains(h, "forked") {
		t.Fatalf("three followers, no fork:\n%s", h)
	}
	ana = forkAs(t, ana, &teacher, "i")
	if h := header(); !strings.Contains(h, "teaching: 2 following, 1 forked") {
		t.Fatalf("ana forked:\n%s", h)
	}
	bo = forkAs(t, bo, &teacher)
	if h := header(); !strings.Contains(h, "teaching: 1 following, 2 forked") {
		t.Fatalf("bo forked too:\n%s", h)
	}
	ana = press(ana, "F")
	if h := header(); !strings.Contains(h, "teaching: 2 following, 1 forked") {
		t.Fatalf("ana follows again:\n%s", h)
	}
	if rows := hub.roster(); len(rows) != 3 {
		t.Fatalf("%d seats", len(rows))
	}
}

// A fork starts at the pace its student was watching — the teacher's rung,
// or the teacher's ramp from where it is — not at full speed.
func TestForkKeepsThePace(t *testing.T) {
	hub := NewHub()
	teacher := sized(teacherWith(t, hub), 80, 24)
	teacher = press(teacher, "<", "<") // max → 1000 → 100 steps a frame
	ramp := sized(teacherWith(t, NewHub()), 80, 24)
	ramp.pace = newPace(true, fixedNow.Add(-3*time.Second))
	ramp.pace.rampBase, ramp.pace.based = ramp.session.Step(), true
	ramp.refresh()
	for _, tc := range []struct {
		teacher Model
		want    string
	}{{teacher, "100 steps/frame"}, {ramp, "ramp"}} {
		if !strings.HasPrefix(tc.teacher.frame.pace, tc.want) {
			t.Fatalf("the teacher's pace is %q, want %q", tc.teacher.frame.pace, tc.want)
		}
		st := scripted(t, hub, "ana", "127.0.0.1", fixedNow)
		next, _ := st.Update(sharedFrameMsg{tc.teacher.frame})
		st = forkAs(t, next.(Model), &tc.teacher)
		if got := st.frame.pace; got != tc.teacher.frame.pace {
			t.Fatalf("the fork's pace is %q, the teacher's %q", got, tc.teacher.frame.pace)
		}
		if w, ok := st.pace.want(fixedNow, st.session.Step()); tc.want == "ramp" && (!ok || w > 1000) {
			t.Fatalf("the fork's ramp would take %d steps 3 s in: it did not go on from the teacher's", w)
		}
	}
}

// In a race every student is told the challenge — a follower on its
// footer and in ?, a fork with its own clock: the steps since the fork,
// then met or over.
func TestStudentsSeeTheChallenge(t *testing.T) {
	for _, tc := range []struct {
		challenge, after string
	}{
		{"mse<0.5 max 5", "challenge mse<0.5 not met within 5 steps · F, then f, for a new fork"},
		{"mse<1 max 5", "challenge mse<1 met after 0 steps and 0.00s of your fair CPU share · the teacher ranks it"},
	} {
		c, err := ParseChallenge(tc.challenge)
		if err != nil {
			t.Fatal(err)
		}
		hub := NewHub()
		teacher := sized(teacherWith(t, hub), 80, 24)
		ana := sized(scripted(t, hub, "ana", "127.0.0.1", fixedNow), 80, 24)
		next, _ := ana.Update(sharedFrameMsg{teacher.frame})
		ana = next.(Model)
		if v := ana.render(); strings.Contains(v, "challenge") {
			t.Fatalf("a challenge before there is one:\n%s", v)
		}
		hub.SetChallenge(&c)
		ana = press(ana, "l", "l")
		want := "challenge mse<" + tc.challenge[4:strings.Index(tc.challenge, " ")] + " within 5 steps of a fork · f forks yours"
		v := ana.render()
		checkUncut(t, v, 80, 24)
		if !strings.Contains(v, want) {
			t.Fatalf("the follower is not told the challenge %q:\n%s", want, v)
		}
		if v := press(ana, "?").render(); !strings.Contains(v, "A fork made during the race waits, paused") || !strings.Contains(v, "challenge mse<") {
			t.Fatalf("the follower's ? does not say the challenge:\n%s", v)
		}
		ana = forkAs(t, ana, &teacher)
		if tc.after[len("challenge mse<0.5 ")] == 'n' { // the collapsed run cannot meet mse<0.5: its clock runs
			ana = quiet(press(ana, "n", "n", "n"))
			if v := ana.render(); !strings.Contains(v, "challenge mse<0.5: 3 of 5 steps since your fork") {
				t.Fatalf("the fork does not see its clock:\n%s", v)
			}
			ana = press(ana, "n", "n", "n")
		}
		ana = quiet(ana)
		if v := ana.render(); !strings.Contains(v, strings.Split(tc.after, " · ")[0]) { // the footer keeps whole parts that fit
			t.Fatalf("the fork does not see its race decided %q:\n%s", tc.after, v)
		}
		if v := press(ana, "?").render(); !strings.Contains(v, strings.ReplaceAll(tc.after[:30], " · ", "; ")) {
			t.Fatalf("the fork's ? does not say its race:\n%s", v)
		}
	}
}

// A follower sees the teacher's waiting caption, but space and L are the
// teacher's keys: its header, the caption's end and ? say the teacher
// moves the lesson on. The teacher's own screen still says space.
func TestFollowerLessonWords(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 16}, {200, 60}} {
		hub := NewHub()
		teacher := racingTeacher(t, hub, size[0], size[1])
		if v := teacher.render(); !strings.Contains(v, "‖ caption: space continues") || !strings.Contains(v, "[space]") {
			t.Fatalf("the teacher's screen does not say space moves the lesson on:\n%s", v)
		}
		cy := sized(scripted(t, hub, "cy", "127.0.0.1", fixedNow), size[0], size[1])
		next, _ := cy.Update(sharedFrameMsg{teacher.frame})
		cy = next.(Model)
		v := cy.render()
		checkUncut(t, v, size[0], size[1])
		words := strings.Join(strings.Fields(strings.ReplaceAll(v, "│", " ")), " ") // the caption wraps
		if !strings.Contains(v, "‖ caption: the teacher continues") || !strings.Contains(words, "[the teacher continues]") ||
			strings.Contains(v, "space") {
			t.Fatalf("%dx%d: the follower's screen offers the teacher's space:\n%s", size[0], size[1], v)
		}
		cy = press(cy, "?")
		for top := 0; top < 40; top++ { // the whole help, scrolled
			v += cy.render()
			cy = press(cy, "down")
		}
		if !strings.Contains(v, "The teacher plays this lesson") || strings.Contains(v, "L ends it") {
			t.Fatalf("%dx%d: the follower's ? says L ends the lesson:\n%s", size[0], size[1], v)
		}
	}
}

// During a lesson the teacher shows a fork: every follower sees the fork's
// run, its header saying whose, without the lesson's caption (that stays
// with the teacher's run, on the teacher's screen); esc gives the lesson back.
func TestShowAForkDuringALesson(t *testing.T) {
	hub := NewHub()
	teacher := racingTeacher(t, hub, 80, 24)
	bo := sized(scripted(t, hub, "bo", "127.0.0.1", fixedNow), 80, 24)
	cy := sized(scripted(t, hub, "cy", "127.0.0.1", fixedNow), 80, 24)
	bo = forkAs(t, bo, &teacher, "o", "n", "n")
	teacher = press(teacher, "k", "enter")
	if hub.showing() != "bo" || !strings.Contains(teacher.msg, "showing bo's fork to every follower") {
		t.Fatalf("enter did not show bo's fork: %q", teacher.msg)
	}
	bo = press(bo, "n") // bo's next frame is the followers'
	f, ok := hub.latest()
	if !ok {
		t.Fatal("no frame for the followers")
	}
	next, _ := cy.Update(sharedFrameMsg{f})
	cy = next.(Model)
	v := cy.render()
	checkUncut(t, v, 80, 24)
	if !strings.Contains(v, "lnfit · bo's fork · question") || !strings.Contains(v, "momentum") ||
		!strings.Contains(v, "step "+engine.Commas(bo.session.Step())) {
		t.Fatalf("the follower does not see bo's fork:\n%s", v)
	}
	if strings.Contains(v, "fork the question's net") || strings.Contains(v, "caption") {
		t.Fatalf("the follower sees the lesson's caption over bo's run:\n%s", v)
	}
	if tv := teacher.render(); !strings.Contains(tv, "fork the question's net") {
		t.Fatalf("the teacher lost the lesson's caption:\n%s", tv)
	}
	teacher = press(teacher, "esc")
	f, _ = hub.latest()
	next, _ = cy.Update(sharedFrameMsg{f})
	cy = next.(Model)
	if v := cy.render(); strings.Contains(v, "bo's fork") || !strings.Contains(v, "fork the question's net") {
		t.Fatalf("esc did not give the follower the lesson back:\n%s", v)
	}
}

// The class room's "changed" is what the fork changed from the teacher's
// run, whatever the labels share (a lesson's set is in the teacher's).
func TestChangedFrom(t *testing.T) {
	for _, c := range [][3]string{
		{"question", "question · optimizer → momentum", "optimizer → momentum"},
		{"question · init → normal", "question · optimizer → adam · lr → 0.001", "optimizer → adam · lr → 0.001"},
		{"question · init → normal", "question · init → normal · batch → 10", "batch → 10"},
		{"question", "question", "nothing yet"},
		{"question · init → normal", "question", "nothing yet"},
	} {
		if got := changedFrom(c[0], c[1]); got != c[2] {
			t.Errorf("teacher %q, fork %q: changed %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

// A follower watching a shown fork forks the run on its screen, the shown
// student's, not the teacher's (F-C1).
func TestForkOfAShownFork(t *testing.T) {
	hub := NewHub()
	teacher := sized(teacherWith(t, hub), 80, 24)
	bo := scripted(t, hub, "bo", "127.0.0.1", fixedNow)
	toBo := make(chan tea.Msg, 4)
	hub.Reach(bo.opts.Seat, func(msg tea.Msg) { toBo <- msg })
	bo = forkAs(t, bo, &teacher, "o")
	bo = press(bo, "n", "n", "n")
	cy := sized(scripted(t, hub, "cy", "127.0.0.1", fixedNow), 80, 24)
	teacher = press(teacher, "k", "enter")
	if hub.showing() != "bo" {
		t.Fatalf("enter did not show bo's fork: %q", teacher.msg)
	}
	cmd := cy.fork("f") // the f key's handler: its command, not the frame's batch
	if cmd == nil || !strings.Contains(cy.msg, "bo's fork") {
		t.Fatalf("f on a shown fork does not say whose run it copies: %q", cy.msg)
	}
	got := make(chan tea.Msg, 1)
	go func() { got <- cmd() }()
	select {
	case req := <-toBo: // bo's program answers, as model.go does for any run
		next, _ := bo.Update(req)
		bo = next.(Model)
	case <-time.After(time.Minute):
		t.Fatal("f never asked bo's program for a copy")
	}
	var msg tea.Msg
	select {
	case msg = <-got:
	case <-time.After(time.Minute):
		t.Fatal("no copy came back")
	}
	next, _ := cy.Update(msg)
	cy = next.(Model)
	if cy.role.kind != roleFork || cy.session.Step() != bo.session.Step() || cy.session.Step() == teacher.session.Step() ||
		cy.session.Label() != bo.session.Label() {
		t.Fatalf("cy forked step %d (bo's is %d, the teacher's %d): %q", cy.session.Step(), bo.session.Step(), teacher.session.Step(), cy.msg)
	}
	if !strings.Contains(cy.msg, "of bo's fork") {
		t.Fatalf("the fork's message does not name whose run it copied: %q", cy.msg)
	}
}

// When a shown fork follows again, the teacher's message says the show is
// over, and enter is not offered on a follower's row (F-C15).
func TestShownForkFollowsAgain(t *testing.T) {
	hub := NewHub()
	teacher := sized(teacherWith(t, hub), 80, 24)
	fay := scripted(t, hub, "fay", "127.0.0.1", fixedNow)
	fay = forkAs(t, fay, &teacher, "i")
	fay = press(fay, "n")
	teacher = press(teacher, "k", "enter")
	if hub.showing() != "fay" || !strings.Contains(teacher.msg, "showing fay's fork") {
		t.Fatalf("enter did not show fay's fork: %q", teacher.msg)
	}
	fay = press(fay, "F", "n") // follows again; its next frame tells the hub
	next, _ := teacher.Update(classPollMsg{})
	teacher = next.(Model)
	v := teacher.render()
	if hub.showing() != "" || strings.Contains(v, "showing fay's fork") || !strings.Contains(teacher.msg, "shown no more") {
		t.Fatalf("the teacher still reads that fay's fork is shown (%q):\n%s", teacher.msg, v)
	}
	if strings.Contains(v, "show this fork") {
		t.Fatalf("enter is offered on a follower's row:\n%s", v)
	}
}

// esc closes a follower's help, as it does solo (F-C10).
func TestFollowerEscClosesHelp(t *testing.T) {
	hub := NewHub()
	sized(teacherWith(t, hub), 80, 24) // the teacher's run the follower watches
	ana := sized(scripted(t, hub, "ana", "127.0.0.1", fixedNow), 80, 24)
	for _, open := range []string{"?", "w"} {
		ana = press(ana, open)
		if ana.mode != modeHelp {
			t.Fatalf("%s did not open the help (mode %v): %q", open, ana.mode, ana.msg)
		}
		if ana = press(ana, "esc"); ana.mode == modeHelp {
			t.Fatalf("esc did not close the help %s opened: %q", open, ana.msg)
		}
	}
}

// A follower watching the teacher scrub is told the teacher is looking
// back, not offered t/esc, which are the teacher's there (F-C5).
func TestFollowerSeesTheTeacherLookBack(t *testing.T) {
	hub := NewHub()
	teacher := sized(teacherWith(t, hub), 80, 24)
	cy := sized(scripted(t, hub, "cy", "127.0.0.1", fixedNow), 80, 24)
	teacher = press(teacher, "t", "left")
	f, ok := hub.latest()
	if !ok || !strings.Contains(f.timeline, "t/esc back to live") {
		t.Fatalf("the teacher's scrub did not reach the hub: %q", f.timeline)
	}
	next, _ := cy.Update(sharedFrameMsg{f})
	cy = next.(Model)
	if v := cy.render(); strings.Contains(v, "t/esc") || !strings.Contains(v, "the teacher is looking back") {
		t.Fatalf("the follower's screen during the teacher's scrub:\n%s", v)
	}
}

// f on a follower's timeline says it copies the live run, not the moment
// on screen (F-C6).
func TestFollowerForkFromTheTimelineSaysWhat(t *testing.T) {
	hub := NewHub()
	teacher := sized(teacherWith(t, hub), 80, 24)
	cy := sized(scripted(t, hub, "cy", "127.0.0.1", fixedNow), 80, 24)
	teacher.advance(runner.Budget{Steps: 120})
	teacher.refresh()
	f, _ := hub.latest()
	next, _ := cy.Update(sharedFrameMsg{f})
	cy = press(next.(Model), "t", "shift+left", "shift+left")
	if cy.mode != modeTimeline {
		t.Fatalf("t did not open the follower's timeline: %q", cy.msg)
	}
	if !strings.Contains(fmt.Sprint(cy.frame.keyLine), "f fork the live run") { // the key line's items (at 80 columns f is past its end)
		t.Fatalf("the key line does not say f forks the live run: %v", cy.frame.keyLine)
	}
	at := cy.tl.keep.At(cy.tl.at).Step
	if at == teacher.session.Step() {
		t.Fatalf("the moment on screen (%d) is the live step", at)
	}
	cy = press(cy, "f")
	if !strings.Contains(cy.msg, "the live run, not step "+engine.Commas(at)+" on screen") {
		t.Fatalf("f on the timeline does not say what it copies: %q", cy.msg)
	}
}

// A follower's header says the teacher's run is on its ramp without
// offering > and <, which are the teacher's keys (F-C9, F-C4).
func TestFollowerNotOfferedThePaceKeys(t *testing.T) {
	hub := NewHub()
	teacher := sized(teacherWith(t, hub), 80, 24)
	teacher.pace.ramp = true
	teacher.refresh()
	f, _ := hub.latest()
	if !strings.Contains(f.pace, "to leave") {
		t.Fatalf("the teacher's own pace label: %q", f.pace)
	}
	cy := sized(scripted(t, hub, "cy", "127.0.0.1", fixedNow), 80, 24)
	next, _ := cy.Update(sharedFrameMsg{f})
	cy = next.(Model)
	if v := cy.render(); strings.Contains(v, "to leave") || !strings.Contains(v, "ramp") {
		t.Fatalf("the follower's header offers > and <:\n%s", v)
	}
}

// A copy of a shown fork (one that met the challenge, say) is not in the
// race: it would "meet" it after 0 steps (found with F-C1's fix).
func TestACopyOfAShownForkIsNotRacing(t *testing.T) {
	c := &Challenge{MSE: 1e-3, Max: 1000}
	for _, copied := range []bool{false, true} {
		var r race
		r.run(c, seatFigures{forked: true, copied: copied, mse: 1e-5, trained: 1})
		if r.met == copied {
			t.Fatalf("copied %v: met %v", copied, r.met)
		}
	}
	hub := NewHub()
	hub.SetChallenge(c)
	m := scripted(t, hub, "cy", "127.0.0.1", fixedNow)
	m.role.kind, m.class.copied = roleFork, true
	if got := m.studentRace(5); !strings.Contains(got, "not in it") {
		t.Fatalf("a copy's footer counts the race: %q", got)
	}
}
