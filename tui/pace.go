package tui

import (
	"fmt"
	"math"
	"time"
)

// speeds are steps per frame; 0 is "as fast as possible" (a time budget).
var speeds = []int{1, 2, 5, 10, 100, 1000, 0}

// pace is how fast the run goes: the first-minute ramp, or a rung of speeds.
type pace struct {
	speed      int       // index into speeds, when not on the ramp
	ramp       bool      // the first-minute ramp: each second about twice the steps of the one before
	rampStart  time.Time // when the ramp (re)started
	rampBase   int64     // the step it started from
	based      bool      // rampBase is set: the first frame sets it (a loaded net starts at its own step)
	rampPace   float64   // its steps per frame lately, for leaving it at a near speed
	rampBehind bool      // the engine could not keep up with the ramp last frame: tick at once
	pausedAt   time.Time // when the run was last paused
	lastStep   int64     // the step after the last frame
}

func newPace(ramp bool, now time.Time) pace {
	return pace{speed: len(speeds) - 1, ramp: ramp, rampStart: now}
}

// fullSpeed: the next frame should start as soon as this one is drawn.
func (p *pace) fullSpeed() bool { return p.ramp && p.rampBehind || !p.ramp && speeds[p.speed] == 0 }

// restart starts the ramp over from step (if on), so the first steps are
// on screen long enough.
func (p *pace) restart(now time.Time, step int64) {
	p.rampStart, p.rampBase, p.rampBehind, p.based = now, step, false, true
}

// paused and resumed keep the ramp from running on while paused.
func (p *pace) paused(now time.Time) { p.pausedAt = now }
func (p *pace) resumed(now time.Time) {
	if !p.pausedAt.IsZero() {
		p.rampStart = p.rampStart.Add(now.Sub(p.pausedAt))
		p.pausedAt = time.Time{}
	}
}

// want is how many steps this frame may take: on the ramp, what the ramp
// has reached (0: show the same step a little longer); otherwise the rung
// (0: as many as the time budget allows, said by ok).
func (p *pace) want(now time.Time, step int64) (steps int64, ok bool) {
	if p.ramp && now.Sub(p.rampStart) >= rampLife { // the minute is over: on at the rung nearest its pace
		p.ramp, p.rampBehind = false, false
		p.speed = rungFor(p.rampPace)
	}
	if p.ramp {
		if !p.based { // the ramp counts from where the run is: --load at step 30,000 starts there
			p.rampBase, p.based = step, true
		}
		w := rampSteps(now.Sub(p.rampStart)) - (step - p.rampBase)
		if w <= 0 {
			p.rampBehind = false
			return 0, false
		}
		return w, true
	}
	return int64(speeds[p.speed]), true
}

// took records what a ramp frame managed.
func (p *pace) took(took, want int64) {
	if p.ramp {
		p.rampPace = float64(took)
		p.rampBehind = took < want
	}
}

// change is > (faster) or < (slower): it leaves the ramp at the rung nearest
// its pace now, and says where it went.
func (p *pace) change(faster bool) string {
	old := p.speed
	if p.ramp {
		p.ramp = false
		old = -1
		p.speed = rungFor(p.rampPace)
	}
	if faster {
		p.speed = min(p.speed+1, len(speeds)-1)
	} else {
		p.speed = max(p.speed-1, 0)
	}
	if p.speed == old {
		return fmt.Sprintf("speed: %s is already the %s", speedLabel(speeds[p.speed]), map[bool]string{true: "fastest", false: "slowest"}[faster])
	}
	return "speed: " + speedLabel(speeds[p.speed])
}

// direct carries out a lesson's speed command.
func (p *pace) direct(arg string, now time.Time, step int64) {
	p.ramp = arg == "ramp"
	switch arg {
	case "ramp":
		p.restart(now, step)
	case "max":
		p.speed = len(speeds) - 1
	default:
		for i, n := range speeds {
			if fmt.Sprint(n) == arg {
				p.speed = i
			}
		}
	}
}

func (p *pace) label() string {
	if p.ramp {
		return "ramp (> or < to leave)"
	}
	return speedLabel(speeds[p.speed])
}

func speedLabel(n int) string {
	switch n {
	case 0:
		return "max"
	case 1:
		return "1 step/frame"
	}
	return fmt.Sprintf("%d steps/frame", n)
}

// rampLife is how long the ramp lasts, paused time not counted (README:
// "the first minute is a ramp"); then the pace is a rung, said as such.
const rampLife = time.Minute

// rampSteps is how many steps the first-minute ramp has reached t after it
// started: step 0, 1 and 2 for two seconds each, then each second about
// twice the steps of the second before (7, 15, 31, … 1,023 at 14 s, a
// million at 24 s), until the engine's own speed is the limit.
func rampSteps(t time.Duration) int64 {
	s := t.Seconds()
	if s < 6 {
		return int64(s / 2)
	}
	return int64(math.Min(math.Exp2(s-4), 1<<50)) - 1
}

// rungFor is the speed rung (steps a frame) nearest a pace, from below.
func rungFor(stepsPerFrame float64) int {
	best := 0
	for i, n := range speeds {
		if n > 0 && float64(n) <= stepsPerFrame {
			best = i
		}
	}
	if stepsPerFrame > float64(speeds[len(speeds)-2]) {
		return len(speeds) - 1
	}
	return best
}
