package tui

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"lnfit/engine"
)

// A challenge: every fork starts the clock when it is made, and the class
// room ranks the forks by the step (counted from the fork) at which they
// met it. The step is the one of the fork's first frame that met it: a
// frame trains many steps at full speed, so the ranking is as fine as a
// frame.

// Challenge is a target MSE on x ≥ 0.01, to be met within Max steps of a fork.
type Challenge struct {
	MSE float64
	Max int64
}

// race is a seat's challenge: where its fork started, and when it met it.
type race struct {
	forkStep int64
	met      bool
	metAt    int64 // steps after the fork
}

// defaultChallengeMax is a challenge's step limit when none is given.
const defaultChallengeMax = 100_000

// ParseChallenge reads "mse<1e-3" or "mse<1e-3 max 50000".
func ParseChallenge(s string) (Challenge, error) {
	f := strings.Fields(s)
	bad := errors.New("want mse<VALUE, optionally followed by max STEPS (e.g. 'mse<1e-3 max 50000')")
	if len(f) != 1 && len(f) != 3 {
		return Challenge{}, bad
	}
	v, ok := strings.CutPrefix(f[0], "mse<")
	if !ok {
		return Challenge{}, bad
	}
	mse, err := strconv.ParseFloat(v, 64)
	if err != nil || !(mse > 0) || math.IsInf(mse, 0) {
		return Challenge{}, bad
	}
	c := Challenge{MSE: mse, Max: defaultChallengeMax}
	if len(f) == 3 {
		n, err := strconv.ParseInt(f[2], 10, 64)
		if f[1] != "max" || err != nil || n <= 0 {
			return Challenge{}, bad
		}
		c.Max = n
	}
	return c, nil
}

func (c Challenge) String() string {
	return fmt.Sprintf("mse<%g within %s steps of the fork", c.MSE, engine.Commas(c.Max))
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
