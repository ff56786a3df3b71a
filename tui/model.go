// Package tui is lnfit's dashboard: a Bubble Tea program whose root model
// owns an engine.Session and the runner that advances it, and routes keys to
// small rooms, one file each: header.go (header and diagnostics), plots.go
// (fit and loss), lab.go (init lab), errorview.go, help.go, picker.go,
// status.go (caption, messages, key line) and save.go. After every change
// the model builds one plain frame value (frame.go); View draws only that.
package tui

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// Options are what the command passes to the dashboard.
type Options struct {
	SavePath    string               // where w saves ("" = a name made from the label and step)
	StartPaused bool                 // tests start still, so every frame is deterministic
	Lesson      *runner.Lesson       // start this lesson
	Classroom   bool                 // projector layout
	Profile     colorprofile.Profile // the terminal's colours; the zero value draws plain text

	// The SSH classroom's settings (zero values: a dashboard on its own).
	Pool      *runner.Pool  // share the cores with other runs
	FrameTime time.Duration // time between frames (0: 1/30 s, and back to back at full speed)
	Remote    bool          // a student's session: w shows the token instead of writing a file
	Hub       *Hub          // broadcast: the teacher publishes here, followers read from here
	Follow    bool          // start following the Hub's teacher (a student's view)
	Maps      *MapCache     // collapse maps, shared by every session of a classroom (nil: this dashboard's own)
}

// Frame timing: ~30 frames a second. At full speed each frame trains for
// trainBudget and then draws; the rest of the frame is the snapshot and View.
const (
	frameTime30 = time.Second / 30
	trainBudget = 28 * time.Millisecond
)

// speeds are steps per frame; 0 is "as fast as possible" (a time budget).
var speeds = []int{1, 2, 5, 10, 100, 1000, 0}

// batchLadder is what ] and [ step through.
var batchLadder = []int{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000}

// mode is what fills the body of the screen.
type mode int

const (
	modePlots  mode = iota // fit and loss
	modeLab                // init lab
	modeError              // error against x
	modeHelp               // the key overlay
	modePicker             // a preset or lesson list
	modeMap                // the collapse map
)

type tickMsg struct{ id int }

// Model is the root model: it owns the session and its runner and routes
// keys by mode to the rooms.
type Model struct {
	session *engine.Session
	run     *runner.Runner
	opts    Options
	keys    keyMap
	st      styles
	frame   frame
	mode    mode
	back    mode // where help and the picker return to
	picker  picker
	rate    rateMeter
	saved   map[string]engine.FileState // files this session wrote, as it left them: w may replace those
	savedAs map[string]string           // a path w was asked for → the name it last wrote instead

	width, height int
	sel           int // the selected lane: o, O, +, - act on it
	running       bool
	speed         int       // index into speeds, when not on the ramp
	ramp          bool      // the first-minute ramp: each second about twice the steps of the one before
	rampStart     time.Time // when the ramp (re)started
	rampBase      int64     // the step it started from
	rampPace      float64   // its steps per frame lately, for leaving it at a near speed
	rampBehind    bool      // the engine could not keep up with the ramp last frame: tick at once
	pausedAt      time.Time // when the run was last paused
	lastStep      int64     // the step after the last frame
	following     bool      // drawing the teacher's frames (broadcast), not training a run of our own
	poolID        int64     // this run's name in the pool
	mapKeyOpen    string    // the map on screen (a MapCache key)
	mapCX, mapCY  int       // its cursor
	pollNeeded    bool      // a lesson opened a map that is computing: poll it
	tickID        int
	logLoss       bool
	logSteps      bool // the loss plot's x axis in log steps
	helpScroll    int  // the help overlay's first line
	smooth        bool
	ticks         int // frames trained, for rotating the race lanes' draw order
	rot           int
	msg           string
	msgBad        bool
	msgAt         time.Time
	now           func() time.Time
}

// New builds the dashboard around a session.
func New(s *engine.Session, o Options) Model {
	m := Model{
		session: s, run: runner.New(s, nil), opts: o, keys: newKeyMap(), st: newStyles(o.Profile),
		saved: map[string]engine.FileState{}, savedAs: map[string]string{}, running: !o.StartPaused, speed: len(speeds) - 1,
		logLoss: true, now: time.Now, width: 80, height: 24, ramp: !o.StartPaused,
	}
	if m.opts.Maps == nil {
		m.opts.Maps = NewMapCache()
	}
	m.rampStart = m.now()
	m.following = o.Follow && o.Hub != nil
	if o.Remote {
		m.opts.SavePath = "-"
	}
	if o.Pool != nil {
		m.poolID = o.Pool.NewID()
	}
	if o.Classroom {
		m.st = m.st.classroom()
	}
	if o.Lesson != nil {
		m.startLesson(o.Lesson)
	}
	m.refresh()
	m.rate.reset(m.now(), s.Step())
	return m
}

// Run shows the dashboard in the alternate screen until the user quits or
// ctx ends (SIGTERM: a clean exit). A panic restores the terminal, prints
// the panic and its stack, and comes back as an error: a non-zero exit.
func Run(ctx context.Context, s *engine.Session, o Options) error { return RunProgram(ctx, s, o) }

// RunProgram is Run with Bubble Tea program options (input, output, size).
func RunProgram(ctx context.Context, s *engine.Session, o Options, popts ...tea.ProgramOption) error {
	if o.Profile == colorprofile.Unknown {
		o.Profile = detectProfile()
	}
	return runModel(ctx, New(s, o), popts...)
}

// runModel runs any root model the way Run does, and maps its end to an error.
func runModel(ctx context.Context, model tea.Model, popts ...tea.ProgramOption) error {
	p := tea.NewProgram(model, append([]tea.ProgramOption{tea.WithContext(ctx)}, popts...)...)
	if m, ok := model.(Model); ok && m.opts.Hub != nil && !m.opts.Follow {
		m.opts.Hub.SetTeacher(p.Send) // followers' forks are served by this program
	}
	_, err := p.Run()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tea.ErrProgramPanic):
		return fmt.Errorf("the dashboard crashed (the panic and its stack are printed above): %w", err)
	case errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil, errors.Is(err, tea.ErrInterrupted):
		return nil // a signal asked us to stop: the terminal is restored
	}
	return err
}

// Init starts the tick loop.
func (m Model) Init() tea.Cmd {
	if m.running {
		return m.nextTick()
	}
	return nil
}

func (m Model) nextTick() tea.Cmd {
	id := m.tickID
	if m.opts.FrameTime > 0 { // a shared machine: a steady pace, never back to back
		return tea.Tick(m.opts.FrameTime, func(time.Time) tea.Msg { return tickMsg{id} })
	}
	if m.ramp && m.rampBehind || !m.ramp && speeds[m.speed] == 0 {
		// Full speed: the next frame starts as soon as this one is drawn.
		return func() tea.Msg { return tickMsg{id} }
	}
	return tea.Tick(frameTime30, func(time.Time) tea.Msg { return tickMsg{id} })
}

// Update answers keys, resizes, ticks and the picker's choice, then builds
// the frame once.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		// Redraw everything: a terminal that reflowed its lines on the
		// resize no longer holds what the renderer thinks it does.
		return m, tea.ClearScreen
	case tickMsg:
		if msg.id != m.tickID || !m.running {
			return m, nil // a tick from before a pause: drop it
		}
		m.train()
		if m.running {
			cmd = m.nextTick()
		}
	case pickedMsg:
		cmd = m.picked(msg)
	case mapPollMsg:
		return m, m.pollMapRoom()
	case sharedFrameMsg:
		if m.following {
			turn := msg.f.panel != m.frame.panel && m.mode != modeHelp // the teacher (or the lesson) turned to another panel: so do we
			m.frame = msg.f
			if turn {
				if msg.f.panel == modeMap {
					return m, m.openMap()
				}
				m.showPanel(msg.f.panel)
			}
			m.keys.enable(m.keyState())
		}
		return m, nil
	case forkRequest: // a follower asks the teacher for a copy of the run
		msg.reply <- m.session.Clone()
		return m, nil
	case forkedMsg:
		if msg.err != nil {
			m.say(true, "no copy: %v; still following", msg.err)
			return m, nil
		}
		m.following = false
		m.session, m.run, m.sel = msg.s, runner.New(msg.s, nil), 0
		m.ramp = false
		m.say(false, "your own copy from step %s: the same weights and batches as the teacher's; F follows the teacher again",
			engine.Commas(msg.s.Step()))
		m.lastStep = msg.s.Step()
		m.refresh()
		return m, m.resume()
	case closingMsg:
		m.pause()
		m.say(true, "%s", msg.text)
		return m, tea.Tick(time.Second, func(time.Time) tea.Msg { return tea.QuitMsg{} })
	case tea.KeyPressMsg:
		if r := []rune(msg.Text); len(r) > 1 {
			// Keys typed faster than the input is read can arrive as one
			// message ("ooo"): answer each, as if they had come one by one.
			var model tea.Model = m
			cmds := make([]tea.Cmd, 0, len(r))
			for _, c := range r {
				var c1 tea.Cmd
				model, c1 = model.Update(tea.KeyPressMsg{Code: c, Text: string(c)})
				cmds = append(cmds, c1)
			}
			return model, tea.Batch(cmds...)
		}
		if m.mode == modePicker {
			var pick tea.Cmd
			m.picker, pick = m.picker.update(msg, m.keys)
			if m.picker.closed {
				m.mode = m.back
			}
			if msg.String() == "ctrl+c" {
				return m, tea.Quit
			}
			return m, pick
		}
		var quit bool
		cmd, quit = m.updateKey(msg)
		if quit {
			return m, tea.Quit
		}
	default:
		return m, nil
	}
	m.refresh()
	if m.pollNeeded {
		m.pollNeeded = false
		cmd = tea.Batch(cmd, pollMap())
	}
	return m, cmd
}

// train runs one frame's worth of the runner and reacts to what it stopped on.
func (m *Model) train() {
	m.ticks++
	m.rot = m.ticks / 30               // about once a second
	if m.session.Step() < m.lastStep { // a lesson or a key restarted the run: so does the ramp
		m.restarted()
	}
	defer func() { m.lastStep = m.session.Step() }()
	b := runner.Budget{Time: trainBudget}
	frameTime := m.opts.FrameTime
	if frameTime == 0 {
		frameTime = frameTime30
	}
	if p := m.opts.Pool; p != nil {
		b.Time = p.Share(m.poolID, frameTime, trainBudget)
	}
	advance := func(b runner.Budget) (took int64) {
		if p := m.opts.Pool; p != nil {
			p.Do(m.poolID, func() { took = m.run.Advance(b) })
			return took
		}
		return m.run.Advance(b)
	}
	switch n := speeds[m.speed]; {
	case m.ramp:
		want := rampSteps(m.now().Sub(m.rampStart)) - (m.session.Step() - m.rampBase)
		if want <= 0 {
			m.rampBehind = false
			m.rate.add(m.now(), m.session.Step())
			return // this frame shows the same step a little longer
		}
		b.Steps = want
		took := advance(b)
		m.rampPace = float64(took)
		m.rampBehind = took < want
	case n > 0:
		b.Steps = int64(n)
		advance(b)
	default:
		advance(b)
	}
	m.applyDirectives()
	m.sel = min(m.sel, len(m.session.Lanes())-1)
	m.rate.add(m.now(), m.session.Step())
	switch r := m.run; {
	case r.Err != nil:
		m.pause()
		m.say(true, "%v", r.Err)
	case r.Waiting:
		m.pause()
	case r.Lesson != nil && r.Done:
		m.pause()
		m.say(false, "end of the lesson — space trains on freely, L picks another")
	case m.session.AllDiverged():
		m.pause()
		m.say(true, "diverged at step %s — r resets, - lowers the learning rate", engine.Commas(m.frameSnapDivergedAt()))
	}
}

func (m *Model) frameSnapDivergedAt() int64 {
	_, at, _ := m.session.Lane(m.sel).Diverged()
	return at
}

// lessonActive: a lesson owns the setup until it ends.
func (m *Model) lessonActive() bool { return m.run.Lesson != nil && !m.run.Done }

func (m *Model) startLesson(l *runner.Lesson) {
	m.run = runner.New(m.session, l)
	m.run.Settle()
	m.applyDirectives()
	m.sel = 0
	m.say(false, "lesson: %s — space continues at each caption; L ends it", l.Title)
	if m.run.Err != nil {
		m.say(true, "%v", m.run.Err)
	}
}

// applyDirectives carries out the lesson's speed and show commands.
func (m *Model) applyDirectives() {
	for _, d := range m.run.Directives {
		switch d.Op {
		case "speed":
			m.ramp = d.Arg == "ramp"
			switch d.Arg {
			case "ramp":
				m.rampStart, m.rampBase, m.rampBehind = m.now(), m.session.Step(), false
			case "max":
				m.speed = len(speeds) - 1
			default:
				for i, n := range speeds {
					if fmt.Sprint(n) == d.Arg {
						m.speed = i
					}
				}
			}
		case "show":
			if d.Arg == "map" {
				if m.mode != modeMap {
					m.pollNeeded = m.openMap() != nil
				}
				continue
			}
			m.mode, m.back = map[string]mode{"fit": modePlots, "lab": modeLab, "error": modeError}[d.Arg], modePlots
		}
	}
	m.run.Directives = nil
}

func (m *Model) say(bad bool, format string, a ...any) {
	m.msg, m.msgBad, m.msgAt = fmt.Sprintf(format, a...), bad, m.now()
}

// resume starts a new tick chain; older ticks carry an old id and are dropped.
func (m *Model) resume() tea.Cmd {
	if !m.running && !m.pausedAt.IsZero() { // the ramp does not run on while paused
		m.rampStart = m.rampStart.Add(m.now().Sub(m.pausedAt))
	}
	m.running = true
	m.tickID++
	m.rate.reset(m.now(), m.session.Step())
	return m.nextTick()
}

func (m *Model) pause() {
	if m.running {
		m.pausedAt = m.now()
	}
	m.running = false
	m.tickID++
}

// restarted is called after a change that starts the run over: the ramp
// (if on) starts over too, so the first steps are on screen long enough.
func (m *Model) restarted() {
	m.rate.reset(m.now(), 0)
	m.rampStart, m.rampBase, m.rampBehind = m.now(), m.session.Step(), false
}

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

// showPanel turns a follower to the teacher's panel, keeping the hub's
// count of followers that need the init lab's data.
func (m *Model) showPanel(p mode) {
	h := m.opts.Hub
	if m.mode == modeLab && p != modeLab && h != nil {
		h.labWanted.Add(-1)
	}
	if m.mode != modeLab && p == modeLab && h != nil {
		h.labWanted.Add(1)
	}
	m.mode, m.back = p, modePlots
}
