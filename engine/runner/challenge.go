package runner

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"lnfit/engine"
)

// A challenge is a broadcast class's race: every fork of the teacher's run
// starts a clock, and the teacher's class room ranks the forks by the step
// (and the seconds of their fair CPU share) at which they met it. The
// --challenge flag and a lesson's challenge command read the same text.

// Challenge is a target MSE on x ≥ 0.01, to be met within Max steps of a fork.
type Challenge struct {
	MSE float64
	Max int64
}

// DefaultChallengeMax is a challenge's step limit when none is given.
const DefaultChallengeMax = 100_000

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
	c := Challenge{MSE: mse, Max: DefaultChallengeMax}
	if len(f) == 3 {
		n, err := strconv.ParseInt(f[2], 10, 64)
		if f[1] != "max" || err != nil || n <= 0 || n > maxLessonSteps {
			return Challenge{}, bad
		}
		c.Max = n
	}
	return c, nil
}

func (c Challenge) String() string {
	return fmt.Sprintf("mse<%g within %s steps of the fork", c.MSE, engine.Commas(c.Max))
}

// Challenges is the line of the lesson's first challenge command (0: none).
// A lesson is data: the runner passes the command on as a directive, and
// only a teacher's dashboard can race it, so every other player refuses
// such a lesson when it is loaded.
func (l *Lesson) Challenges() int {
	for _, c := range l.Commands {
		if c.Op == "challenge" {
			return c.Line
		}
	}
	return 0
}

// ErrChallengeSolo is the refusal of a lesson with a challenge where no
// class races it, naming the lesson and line.
func (l *Lesson) ErrChallengeSolo() error {
	line := l.Challenges()
	if line == 0 {
		return nil
	}
	return fmt.Errorf("lesson %s line %d (challenge): a challenge is raced by the forks of a broadcast class: play it with --serve ADDR --broadcast",
		engine.ShortText(l.Name, 80), line)
}
