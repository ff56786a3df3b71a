package tui

import (
	"fmt"
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
}

// run looks at a fork's frame: it meets c within c.Max steps of the fork,
// or passes them (the first of the two stands).
func (r *race) run(c *Challenge, fig seatFigures) {
	steps := fig.trained - r.forkTrained
	switch {
	case r.met || r.over || !fig.forked:
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
		st.race = race{forkTrained: st.trained, forkCPU: st.cpu}
	}
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
func (m *Model) forkWaits() bool {
	c := m.role.hub.challengeText()
	if c == "" {
		return false
	}
	m.pause() // a follower's ticks ran: this copy's would train
	m.say(false, "your own copy from step %s, paused for the challenge (%s): change one thing, then space starts your clock",
		engine.Commas(m.session.Step()), c)
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
