package tui

import (
	"fmt"
	"strings"
	"time"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// A challenge: every fork starts two clocks when it is made — the steps it
// trains (restarts and rewinds included: a student who throws steps away
// has still spent them) and the seconds of CPU the pool charged it (its
// fair share of the cores, so a cheaper change meets it sooner, whoever
// else is training) — and the class room ranks the forks by the steps,
// then the seconds, at which they met it. Both are read at the fork's
// first frame that met it: a frame trains many steps at full speed, so
// the ranking is as fine as a frame.

// Challenge is a target MSE on x ≥ 0.01, to be met within Max steps of a
// fork (engine/runner/challenge.go: a lesson's challenge command reads the same).
type Challenge = runner.Challenge

// ParseChallenge reads "mse<1e-3" or "mse<1e-3 max 50000".
func ParseChallenge(s string) (Challenge, error) { return runner.ParseChallenge(s) }

// race is a seat's challenge: its clocks at the fork, and when it met it.
type race struct {
	forkTrained int64
	forkCPU     time.Duration
	met, over   bool          // met it; or trained past its steps without
	metAt       int64         // steps trained since the fork
	metCPU      time.Duration // the pool's seconds for them
	late        bool          // the clock started with the challenge, on a fork made before it
}

// run looks at a fork's frame: it meets c within c.Max steps of the fork,
// or passes them (the first of the two stands).
func (r *race) run(c *Challenge, fig seatFigures) {
	steps := fig.trained - r.forkTrained
	switch {
	case r.met || r.over || !fig.forked || fig.copied:
	case steps > c.Max:
		r.over = true
	case fig.mse < c.MSE:
		r.met, r.metAt, r.metCPU = true, steps, fig.cpu-r.forkCPU
	}
}

// news is what the student hears when a frame decides the race ("" none).
func (r race) news(before race, c *Challenge) string {
	switch {
	case r.met && !before.met:
		return fmt.Sprintf("you met the challenge (mse<%g) after %s and %s of your fair CPU share: the teacher's class room ranks it",
			c.MSE, stepCount(r.metAt), seconds(r.metCPU))
	case r.over && !before.over:
		return fmt.Sprintf("%s since your fork without mse<%g: this fork is out of the challenge (F, then f, for a new one)",
			stepCount(c.Max), c.MSE)
	}
	return ""
}

// SetChallenge starts a challenge for the class (nil ends it); forks made
// before it start their clock now.
func (h *Hub) SetChallenge(c *Challenge) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.challenge = c
	for _, st := range h.seats {
		st.race = race{forkTrained: st.trained, forkCPU: st.cpu, late: st.forked}
	}
}

// seatRace is a seat's race and the class's challenge (false: no challenge).
func (h *Hub) seatRace(id int) (race, Challenge, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.challenge == nil {
		return race{}, Challenge{}, false
	}
	var r race
	if st := h.seats[id]; st != nil {
		r = st.race
	}
	return r, *h.challenge, true
}

// studentRace is a student's line while the class races ("" no race): the
// challenge, and on a fork its own clock from the hub's seat — the steps
// trained since the fork, and whether it met it or ran past.
func (m *Model) studentRace(trained int64) string {
	r, c, ok := m.role.hub.seatRace(m.opts.Seat)
	switch {
	case !ok:
		return ""
	case m.role.following():
		return fmt.Sprintf("challenge mse<%g within %s of a fork · f forks yours", c.MSE, stepCount(c.Max))
	case m.opts.Seat == 0: // no seat, no clock (a dashboard outside a classroom server)
		return "challenge: " + c.String()
	case m.class.copied:
		return fmt.Sprintf("challenge mse<%g: a copy of a shown fork is not in it · F, then f, for one of the teacher's run", c.MSE)
	case r.met:
		return fmt.Sprintf("challenge mse<%g met after %s and %s of your fair CPU share · the teacher ranks it",
			c.MSE, stepCount(r.metAt), seconds(r.metCPU))
	case r.over:
		return fmt.Sprintf("challenge mse<%g not met within %s · F, then f, for a new fork", c.MSE, stepCount(c.Max))
	}
	from := "your fork"
	if r.late {
		from = "the challenge began"
	}
	return fmt.Sprintf("challenge mse<%g: %s of %s since %s", c.MSE, engine.Commas(max(trained-r.forkTrained, 0)), stepCount(c.Max), from)
}

// raceHelp is what ? says of the class's race to a student ("" none).
func raceHelp(f *frame, st styles, w int) string {
	if f.race == "" || f.role != roleFollower && f.role != roleFork {
		return ""
	}
	text := strings.ReplaceAll(f.race, " · ", "; ") + " (mse on x ≥ 0.01: the mse x≥0.01 figure). A fork made during the race waits, paused: change one thing, then space " +
		"starts its clock, the steps it trains (restarts included). The teacher's class room ranks the forks by those steps, " +
		"then by the seconds of fair CPU share they took."
	lines := wrapWords(text, w-2, 10) // the help scrolls: all of it
	for i, l := range lines {
		lines[i] = st.Msg.Render(" " + l)
	}
	return strings.Join(lines, "\n")
}

// raceFooter is a student's race line under the keys: as much as fits, whole.
func (m Model) raceFooter(w int) string {
	if m.frame.race == "" {
		return ""
	}
	return m.st.Msg.Render(strings.Join(fitParts(w, strings.Split(m.frame.race, " · ")...)[:1], ""))
}

func (h *Hub) challengeText() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.challenge == nil {
		return ""
	}
	return h.challenge.String()
}

// refusesLesson: only a teacher's dashboard can race a lesson's challenge;
// anywhere else such a lesson is refused, saying so, before it starts.
func (m *Model) refusesLesson(l *runner.Lesson) bool {
	err := l.ErrChallengeSolo()
	if err == nil || m.role.teaching() {
		return false
	}
	m.say(true, "%v", err)
	return true
}

// lessonChallenge is a lesson's challenge command reaching the teacher's
// dashboard: the class races it from here (nil: the race ends).
func (m *Model) lessonChallenge(c *Challenge) {
	if !m.role.teaching() {
		return // refused when the lesson was loaded
	}
	m.role.hub.SetChallenge(c)
	if c == nil {
		m.say(false, "the challenge is over")
		return
	}
	m.say(false, "challenge: %s · k ranks the forks", c)
}

// forkWaits: in a race a new fork waits, paused, for the student's change —
// its clock counts the steps it trains, and at full speed a second is tens
// of thousands of them. The message says the challenge and how to start.
func (m *Model) forkWaits(whose string) bool {
	c := m.role.hub.challengeText()
	if c == "" {
		return false
	}
	m.pause() // a follower's ticks ran: this copy's would train
	of := ""
	if whose != "" {
		of = " of " + whoseRun(whose)
	}
	m.say(false, "your own copy from step %s%s, paused for the challenge (%s): change one thing, then space starts your clock",
		engine.Commas(m.session.Step()), of, c)
	return true
}

// forkPace is a new fork's pace: the one the follower was watching (the
// teacher's ramp, from where it is, or rung), not full speed — a fork made
// "to watch it learn from here" would otherwise show the end at once.
// A frame without a pace (a kept moment's) gives the fastest rung.
func forkPace(watched pace, now time.Time) pace {
	if watched.rampStart.IsZero() {
		return newPace(false, now)
	}
	watched.resumed(now) // the teacher's pause is not this copy's: its ramp goes on from here
	return watched
}
