package tui

import (
	"lnfit/engine/runner"
)

// A challenge: every fork starts the clock when it is made, and the class
// room ranks the forks by the step (counted from the fork) at which they
// met it. The step is the one of the fork's first frame that met it: a
// frame trains many steps at full speed, so the ranking is as fine as a
// frame.

// Challenge is a target MSE on x ≥ 0.01, to be met within Max steps of a
// fork (engine/runner/challenge.go: a lesson's challenge command reads the same).
type Challenge = runner.Challenge

// ParseChallenge reads "mse<1e-3" or "mse<1e-3 max 50000".
func ParseChallenge(s string) (Challenge, error) { return runner.ParseChallenge(s) }

// race is a seat's challenge: where its fork started, and when it met it.
type race struct {
	forkStep int64
	met      bool
	metAt    int64 // steps after the fork
}

// SetChallenge starts a challenge for the class (nil ends it); forks made
// before it start their clock now.
func (h *Hub) SetChallenge(c *Challenge) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.challenge = c
	for _, st := range h.seats {
		st.race = race{forkStep: st.step}
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
