package tui

import (
	"math"
	"time"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
	"lnfit/engine/runner"
)

func (m Model) nextTick() tea.Cmd {
	id := m.tickID
	if m.opts.FrameTime > 0 { // a shared machine: a steady pace, never back to back
		return tea.Tick(m.opts.FrameTime, func(time.Time) tea.Msg { return tickMsg{id} })
	}
	if m.pace.fullSpeed() {
		// Full speed: the next frame starts as soon as this one is drawn.
		return func() tea.Msg { return tickMsg{id} }
	}
	return tea.Tick(frameTime30, func(time.Time) tea.Msg { return tickMsg{id} })
}

// advance runs the runner for a budget, through the pool when there is one
// (every training step of a classroom is in the pool: ticks and n alike).
func (m *Model) advance(b runner.Budget) (took int64) {
	m.syncTimeline() // the moments are kept as the runner trains (timeline.go)
	if p := m.opts.Pool; p != nil {
		m.class.cpu += p.Do(m.poolID, func() { took = m.run.Advance(b) })
	} else {
		took = m.run.Advance(b)
	}
	m.class.trained += took // a fork's challenge clocks (classroom_room.go): steps, restarts included, and the pool's time
	return took
}

// frameBudget is this frame's training time: the pool's fair share when shared.
func (m *Model) frameBudget() time.Duration {
	if p := m.opts.Pool; p != nil {
		frameTime := m.opts.FrameTime
		if frameTime == 0 {
			frameTime = frameTime30
		}
		return p.Share(m.poolID, frameTime, m.budget)
	}
	return m.budget
}

// train runs one frame's worth of the runner and reacts to what it stopped on.
func (m *Model) train() {
	m.ticks++
	if m.session.Step() < m.pace.lastStep { // a lesson or a key restarted the run: so does the ramp
		m.restarted()
	}
	defer func() { m.pace.lastStep = m.session.Step() }()
	b := runner.Budget{Time: m.frameBudget()}
	onRamp := m.pace.ramp
	want, ok := m.pace.want(m.now(), m.session.Step())
	if onRamp && !m.pace.ramp && !m.role.following() { // a follower's > and < are the teacher's
		m.say(false, "the first minute's ramp is over; speed: %s (> and < change it)", m.pace.label())
	}
	if !ok {
		m.rate.add(m.now(), m.session.Step())
		return // this frame shows the same step a little longer
	}
	b.Steps = want
	if m.stepCap > 0 { // tests: a frame in steps, not time, so a walk replays exactly
		b = runner.Budget{Steps: min(max(want, 1), m.stepCap)}
		if want == 0 {
			b.Steps = m.stepCap
		}
	}
	m.pace.took(m.advance(b), want)
	m.afterTraining()
	m.keepFrame() // timeline.go: the last few seconds are moments too
}

// pendingSteps takes the n steps queued since the last frame (a run of n
// keys is one call), within a frame's budget; true if some are left.
func (m *Model) pendingSteps() bool {
	if m.in.steps == 0 || m.running || m.role.following() {
		m.in.steps = 0
		return false
	}
	if m.lessonActive() || m.session.AllDiverged() {
		m.in.steps = 0
		return false
	}
	b := runner.Budget{Steps: m.in.steps, Time: m.frameBudget()}
	if m.stepCap > 0 {
		b = runner.Budget{Steps: min(m.in.steps, m.stepCap)}
	}
	took := m.advance(b)
	m.keepFrame()
	m.in.steps -= took
	if took == 0 {
		m.in.steps = 0
		return false
	}
	if took == 1 {
		m.say(false, "one step: loss %s", engine.FormatValue(m.session.Lane(m.sel).LastLoss()))
	} else {
		m.say(false, "%d steps: loss %s", took, engine.FormatValue(m.session.Lane(m.sel).LastLoss()))
	}
	m.pace.lastStep = m.session.Step()
	return m.in.steps > 0 && took > 0
}

// afterTraining reacts to what the runner stopped on.
func (m *Model) afterTraining() {
	m.applyDirectives()
	m.sel = min(m.sel, len(m.session.Lanes())-1)
	m.rate.add(m.now(), m.session.Step())
	switch r := m.run; {
	case r.Err != nil:
		m.pause()
		m.say(true, "%v", r.Err)
	case r.Waiting:
		m.pause()
		m.sayCaption() // lesson.go: the counter moves with the caption that training reached
	case r.Lesson != nil && r.Done:
		m.pause()
		m.say(false, "end of the lesson — space trains on freely, L picks another")
	case m.session.AllDiverged() && m.lessonActive():
		// The lesson's run diverged: the lesson goes on with its next part
		// (the runner passes over a diverged run's training), and its own
		// text says what happened if it has one.
		m.run.Settle()
		m.applyDirectives()
		m.pause()
		if !m.run.Waiting {
			m.say(true, "the lesson's run diverged at step %s — space continues with the next part (L ends the lesson)",
				engine.Commas(m.divergedAt()))
		}
	case m.session.AllDiverged():
		m.pause()
		m.say(true, "diverged at step %s — r resets, - lowers the learning rate", engine.Commas(m.divergedAt()))
	}
}

func (m *Model) divergedAt() int64 {
	_, at, _ := m.session.Lane(m.sel).Diverged()
	return at
}

// resume starts a new tick chain; older ticks carry an old id and are dropped.
func (m *Model) resume() tea.Cmd {
	if !m.running {
		m.pace.resumed(m.now())
	}
	m.running = true
	m.tickID++
	m.rate.reset(m.now(), m.session.Step())
	return m.nextTick()
}

func (m *Model) pause() {
	if m.running {
		m.pace.paused(m.now())
	}
	m.running = false
	m.tickID++
}

// restarted is called after a change that starts the run over: the ramp
// (if on) starts over too, so the first steps are on screen long enough.
func (m *Model) restarted() {
	if m.run.Lesson == nil && m.run.Done { // a free run that ended (diverged) trains again
		m.run = runner.New(m.session, nil)
	}
	m.rate.reset(m.now(), 0)
	m.pace.restart(m.now(), m.session.Step())
}

// rateMeter measures steps per second over the last second or so of frames:
// the figure a user reads is what the dashboard actually achieves.
type rateMeter struct {
	t     [32]time.Time
	steps [32]int64
	n     int
}

func (r *rateMeter) reset(now time.Time, step int64) {
	r.n = 0
	r.add(now, step)
}

func (r *rateMeter) add(now time.Time, step int64) {
	r.t[r.n%len(r.t)], r.steps[r.n%len(r.steps)] = now, step
	r.n++
}

// perSecond returns the rate over the window, or NaN before two samples.
func (r *rateMeter) perSecond() float64 {
	if r.n < 2 {
		return math.NaN()
	}
	last := (r.n - 1) % len(r.t)
	first := 0
	if r.n > len(r.t) {
		first = r.n % len(r.t)
	}
	dt := r.t[last].Sub(r.t[first]).Seconds()
	if dt <= 0 {
		return math.NaN()
	}
	return float64(r.steps[last]-r.steps[first]) / dt
}
