// Package runner advances an engine.Session: the one loop that the
// dashboard, headless mode, the classroom and the tests all call, so a
// lesson stops at the same step, shows the same captions and ends on the
// same numbers whoever drives it and however fast.
//
// A driver asks for "at most this many steps, about this long" (a Budget).
// The runner trains in chunks that end exactly where something must be
// looked at — a lesson's condition, --until's check, the step cap — and
// those places are fixed in steps, never in time. Time only decides how many
// chunks fit in one call.
package runner

import (
	"fmt"
	"math"
	"time"

	"lnfit/engine"
)

// Unlimited is a Runner.Steps that never ends the run.
const Unlimited = -1

// UntilEvery is how often (in steps of the runner) the --until goal is checked.
const UntilEvery = 1000

// A lesson's until condition is checked after every step of the command's
// first lessonDense steps (the collapse takes one or two), then every
// lessonEvery steps.
const (
	lessonDense = 100
	lessonEvery = 100
)

// Caption is a lesson caption and the step it was shown at.
type Caption struct {
	Step   int64
	Text   string
	Missed string // the expect that did not hold, so Text says what happened instead ("" all held)
}

// Runner advances a session, and a lesson or a step cap and goal.
type Runner struct {
	Session *engine.Session
	Lesson  *Lesson // nil: free training (Steps and Until apply)
	Steps   int64   // without a lesson: the most steps to take, or Unlimited
	Until   float64 // without a lesson: > 0 ends the run once every lane's mse_above_0_01 < Until

	Caption  string    // the caption showing now ("" none)
	Captions []Caption // every caption shown, in order
	Waiting  bool      // a caption waits for the presenter: call Continue
	Done     bool      // the lesson ended, the cap or goal was reached, or every lane diverged
	Err      error     // why a lesson stopped early (Done is set too)
	Reached  []int64   // per lane: the step at which Until was first met (0: not yet)
	Taken    int64     // steps taken through this runner
	// Directives are the lesson's speed, show and challenge commands, for a
	// dashboard to apply (and clear); headless has no pace or panel and
	// ignores them (and refuses a lesson with a challenge when it loads).
	Directives []Command
	// Timeline, when set, keeps moments of the session: chunks end at its
	// planned steps, and a lesson's setup changes are marked on it.
	Timeline *engine.Timeline

	pc       int     // the next lesson command
	training bool    // a run/until command is under way
	cmd      Command // ... this one
	cmdStart int64   // the session's step when it began
	stopAt   int64   // ... and the step it ends at regardless
	rising   int     // until diverging: steps in a row lane A's batch loss has grown
	lastLoss float64 // ... and its last batch loss

	now   func() time.Time // nil: time.Now (tests put a fake clock here)
	steps func(n int) int  // nil: Session.Run (tests put a step of known cost here)
}

// New makes a runner; lesson may be nil.
func New(s *engine.Session, lesson *Lesson) *Runner {
	r := &Runner{Session: s, Lesson: lesson, Steps: Unlimited, Reached: make([]int64, engine.MaxLanes)}
	if lesson != nil && lesson.rewinds() {
		r.Timeline = engine.NewTimeline() // a lesson that rewinds needs its moments, whoever plays it
	}
	return r
}

// Budget is what one Advance may spend.
type Budget struct {
	Steps int64         // at most this many steps (0: no limit)
	Time  time.Duration // about this long (0: no limit)
	Stop  func() bool   // looked at between sub-runs of at most ~50 ms and inside huge steps: true ends Advance
}

// Title is the lesson's title, or "".
func (r *Runner) Title() string {
	if r.Lesson == nil {
		return ""
	}
	return r.Lesson.Title
}

// Training reports whether a lesson is in a run/until command.
func (r *Runner) Training() bool { return r.training }

// Continue is the presenter's space at a waiting caption.
func (r *Runner) Continue() { r.Waiting = false }

// EndLesson drops the lesson; the session trains freely from here.
func (r *Runner) EndLesson() {
	r.Lesson, r.training, r.Waiting, r.Done, r.Caption = nil, false, false, false, ""
	r.Steps = Unlimited
}

// Advance runs the lesson's instant commands and trains until the budget is
// spent, a caption waits, or the run is done. It returns the steps taken.
//
// With a time budget or a stop, the training is cut into sub-runs sized by a
// fresh Pacer: the call ends within its time plus at most one step, however
// much a step's cost changed since the last call, and stop is asked between
// sub-runs (and inside a huge step, through Session.SetStop).
func (r *Runner) Advance(b Budget) int64 {
	now := r.clock()
	start := now()
	var taken int64
	var pace Pacer
	timed := b.Time > 0 || b.Stop != nil
	defer r.Session.SetStop(nil)
	r.observe()
	for !r.Done && !r.Waiting {
		if r.Lesson != nil && !r.training {
			r.next()
			pace = Pacer{} // a command may have changed the setup, and so a step's cost
			continue
		}
		if r.Session.AllDiverged() || r.Session.Step() >= engine.MaxStep {
			r.training = false
			if r.Lesson == nil {
				r.Done = true
			}
			continue
		}
		n := r.toNextCheck()
		if n <= 0 && r.Lesson == nil { // the step cap is reached
			r.Done = true
			break
		}
		if b.Steps > 0 {
			n = min(n, b.Steps-taken)
		}
		if n <= 0 {
			break
		}
		t0 := now()
		if timed {
			left := time.Duration(0)
			if b.Time > 0 {
				left = max(b.Time-t0.Sub(start), 1)
			}
			n = pace.Next(n, left)
		}
		r.Session.SetStop(b.Stop) // lanes may be new since the last sub-run
		took := int64(r.run(int(n)))
		pace.Took(took, now().Sub(t0))
		r.Taken += took
		taken += took
		r.observe()
		r.check()
		if b.Steps > 0 && taken >= b.Steps || b.Time > 0 && now().Sub(start) >= b.Time || b.Stop != nil && b.Stop() {
			break
		}
	}
	return taken
}

// clock is the runner's time source (a test's fake clock, or the wall's).
func (r *Runner) clock() func() time.Time {
	if r.now != nil {
		return r.now
	}
	return time.Now
}

// run takes n steps on the session (or what a test puts in its place).
func (r *Runner) run(n int) int {
	if r.steps != nil {
		return r.steps(n)
	}
	return r.Session.Run(n)
}

// observe keeps a moment on the timeline if the session is at a planned step.
func (r *Runner) observe() {
	if r.Timeline != nil {
		r.Timeline.Observe(r.Session)
	}
}

// toNextCheck is how many steps may be taken before something must be
// looked at: the checks below, and the timeline's next planned step.
func (r *Runner) toNextCheck() int64 {
	n := r.toCheck()
	if r.Timeline != nil && n > 0 {
		step := r.Session.Step()
		n = min(n, engine.NextPlanned(step)-step)
	}
	return n
}

func (r *Runner) toCheck() int64 {
	const far = 1 << 30
	if r.Lesson != nil {
		step := r.Session.Step()
		n := r.stopAt - step
		if r.cmd.Op == "until" {
			k := step - r.cmdStart
			if k < lessonDense || r.cmd.Cond == "diverging" { // a growth streak is over in a few steps: every step is looked at
				n = min(n, 1)
			} else {
				n = min(n, lessonEvery-k%lessonEvery)
			}
		}
		return max(n, 0)
	}
	n := int64(far)
	if r.Steps != Unlimited {
		n = min(n, r.Steps-r.Taken)
	}
	if r.Until > 0 {
		n = min(n, UntilEvery-r.Taken%UntilEvery)
	}
	if r.Steps == Unlimited || r.Steps-r.Taken > 0 {
		return max(n, 1)
	}
	return 0
}

// check looks at what the last chunk ended on.
func (r *Runner) check() {
	s := r.Session
	if r.Lesson != nil {
		if !r.training {
			return
		}
		step := s.Step()
		done := step >= r.stopAt || s.AllDiverged()
		if !done && r.cmd.Op == "until" {
			k := step - r.cmdStart
			if r.cmd.Cond == "diverging" {
				done = r.diverging()
			} else if k <= lessonDense || k%lessonEvery == 0 {
				main := s.Main()
				switch r.cmd.Cond {
				case "step":
					done = float64(step) >= r.cmd.Limit
				case "mse":
					done = main.Metrics().MSEAbove001 < r.cmd.Limit
				case "collapsed":
					done = main.Diagnose().Status == engine.StatusCollapsed
				case "converged":
					done = main.Diagnose().Status == engine.StatusConverged
				}
			}
		}
		if done {
			r.training = false
		}
		return
	}
	if r.Until > 0 && r.Taken%UntilEvery == 0 {
		all := true
		for i, l := range s.Lanes() {
			if r.Reached[i] == 0 {
				if d, _, _ := l.Diverged(); !d && l.Metrics().MSEAbove001 < r.Until {
					r.Reached[i] = l.Step()
				}
			}
			all = all && r.Reached[i] != 0
		}
		if all {
			r.Done = true
		}
	}
	if r.Steps != Unlimited && r.Taken >= r.Steps {
		r.Done = true
	}
}

// diverging is until diverging's test after each step: lane A diverged,
// or its verdict says diverging. The verdict (an evaluation on the grid)
// is asked only once the batch loss has risen DivergingSteps steps running,
// so a healthy run pays a comparison a step.
func (r *Runner) diverging() bool {
	main := r.Session.Main()
	if d, _, _ := main.Diverged(); d {
		return true
	}
	loss := main.LastLoss()
	if loss > r.lastLoss {
		r.rising++
	} else {
		r.rising = 0
	}
	r.lastLoss = loss
	return r.rising >= engine.DivergingSteps && main.Diagnose().Status == engine.StatusDiverging
}

// next runs one lesson command.
func (r *Runner) next() {
	if r.pc >= len(r.Lesson.Commands) {
		r.Done = true
		return
	}
	c := r.Lesson.Commands[r.pc]
	r.pc++
	if err := r.exec(c); err != nil {
		r.Done = true
		r.Err = fmt.Errorf("lesson %s line %d: %v", engine.ShortText(r.Lesson.Name, 80), c.Line, err)
	}
}

func (r *Runner) exec(c Command) error {
	s := r.Session
	switch c.Op {
	case "say":
		return r.say(c) // caption.go: live figures and expectations
	case "wait":
		r.Waiting = true
	case "speed", "show", "challenge":
		r.Directives = append(r.Directives, c)
	case "preset":
		cfg := c.Start.Clone()
		cfg.Seed = s.Main().Config().Seed
		return r.mark("preset "+c.Arg, s.Start(c.Arg, cfg))
	case "set":
		if c.Lane != engine.AllLanes && c.Lane >= len(s.Lanes()) {
			return fmt.Errorf("set %s: there is no lane %c (%d lanes)", c.Arg, 'A'+c.Lane, len(s.Lanes()))
		}
		return r.mark(c.Arg+" → "+c.Value, s.Set(c.Arg, c.Value, c.Lane))
	case "race":
		if c.Lanes == nil {
			s.EndRace(0)
			return r.mark("race off", nil)
		}
		return r.mark("race "+c.Arg, s.Race(c.Lanes, 0))
	case "rewind":
		return r.Rewind(c.N, c.Back)
	case "run":
		r.startTraining(c, s.Step()+c.N)
	case "until":
		r.startTraining(c, s.Step()+c.N)
	}
	return nil
}

// mark keeps a moment of a setup change that succeeded (err nil) and passes err on.
func (r *Runner) mark(why string, err error) error {
	if err == nil && r.Timeline != nil {
		r.Timeline.Mark(r.Session, why)
	}
	return err
}

// Rewind branches the session from the timeline's moment at step in the
// run `back` restarts ago (0: the run now on screen; see Timeline.FindBack):
// a lesson's `rewind STEP [back N]`.
func (r *Runner) Rewind(step int64, back int) error {
	if r.Timeline == nil {
		return fmt.Errorf("rewind %d: this run keeps no timeline", step)
	}
	i, err := r.Timeline.FindBack(step, back)
	if err != nil {
		return fmt.Errorf("rewind %d: %v", step, err)
	}
	return r.Branch(r.Timeline.At(i))
}

// Branch restarts the session from moment m; the timeline goes on from it.
func (r *Runner) Branch(m *engine.Moment) error {
	if err := r.Session.Restore(m); err != nil {
		return err
	}
	r.observe()
	return nil
}

func (r *Runner) startTraining(c Command, stopAt int64) {
	r.training, r.cmd, r.cmdStart, r.stopAt = true, c, r.Session.Step(), min(stopAt, engine.MaxStep)
	r.rising, r.lastLoss = engine.DivergingSteps, math.Inf(-1) // the first step asks the verdict: a run may be diverging already
}

// Settle runs the lesson's instant commands up to its next training
// command, caption wait or end, without training: what a driver calls when a
// lesson starts, so the first caption is on screen before any step.
func (r *Runner) Settle() {
	for r.Lesson != nil && !r.Done && !r.Waiting && !r.training {
		r.next()
	}
}
