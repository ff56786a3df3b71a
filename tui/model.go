// Package tui is lnfit's dashboard: a Bubble Tea program whose root model
// owns an engine.Session, the runner that advances it, the mode and the
// role, and routes to rooms (rooms.go: plots, init lab, error view; help.go,
// picker.go, mapview.go), each with its own state, SetSize and View. Keys
// come from one action table (actions.go, table.go). After every change or
// frame the model builds one plain frame value (frame.go); View draws only
// that, and only when it changed (input.go).
package tui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/tui/export"
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

	// The class room's (classroom_room.go): a student's seat on the Hub
	// (from Hub.Join; 0 none), and what the teacher gives the students.
	Seat      int
	Address   string // the ssh line, for the teacher's footer
	ClassCode string
}

// Frame timing: ~30 frames a second. At full speed each frame trains for
// trainBudget and then draws; the rest of the frame is the snapshot and View.
const (
	frameTime30 = time.Second / 30
	trainBudget = 28 * time.Millisecond
)

// mode is which room fills the body of the screen.
type mode int

const (
	modePlots    mode = iota // fit and loss
	modeLab                  // init lab
	modeError                // error against x
	modeHelp                 // the key overlay
	modePicker               // a preset or lesson list
	modeMap                  // the collapse map
	modeClass                // the teacher's class room
	modeTimeline             // a kept moment of the run, in the room t opened it from (timeline.go)
	modeUnits                // every hidden unit (issue 21)
)

type tickMsg struct{ id int }

// Model is the root model: the session and its runner, the mode and the
// role; everything a room shows is in its room or the frame.
type Model struct {
	session *engine.Session
	run     *runner.Runner
	opts    Options
	role    role
	st      styles
	frame   frame
	shared  frame // a follower's latest frame from the teacher
	mode    mode
	back    mode // where help and the picker return to
	pace    pace
	rate    rateMeter
	saves   saves
	exports *export.Files // what E wrote, by the same never-replace rule as w

	// the rooms
	plots  plotsRoom
	lab    labRoom
	errv   errorRoom
	help   helpRoom
	picker picker
	cmap   mapScreen
	class  classRoom
	tl     timelineView
	units  unitsRoom

	width, height int
	sel           int // the selected lane: o, O, +, - act on it
	running       bool
	poolID        int64 // this run's name in the pool
	budget        time.Duration
	stepCap       int64 // tests: at most this many steps a frame, and no time budget (0: none)
	tickID        int
	ticks         int // frames trained, for rotating the race lanes' draw order
	labCounted    bool
	unitsCounted  bool // this follower is counted in the hub's unitsWanted
	pollNeeded    bool // a lesson opened a map that is computing: poll it
	in            input
	msg           string
	msgBad        bool
	msgAt         time.Time
	msgMode       mode   // the room the message was said in (after the key that said it): shown only there
	capPage       int    // the page of a short caption space turned to (status.go) ...
	capFor        string // ... for this caption
	said          int    // messages said so far (the walk test checks a refusal says something)
	now           func() time.Time
}

// New builds the dashboard around a session.
func New(s *engine.Session, o Options) Model {
	m := Model{
		session: s, run: runner.New(s, nil), opts: o, role: newRole(o), st: newStyles(o.Profile),
		saves: newSaves(), exports: export.NewFiles(), running: !o.StartPaused, plots: plotsRoom{logLoss: true},
		now: time.Now, width: 80, height: 24, budget: trainBudget, in: newInput(),
	}
	if m.opts.Maps == nil {
		m.opts.Maps = NewMapCache()
	}
	m.syncTimeline()
	m.pace = newPace(!o.StartPaused, m.now())
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
	base := []tea.ProgramOption{tea.WithContext(ctx), tea.WithFilter(Filter)}
	if in, g := gatedStdin(); in != nil { // a caller's WithInput (tests) comes later and wins
		base = append(base, tea.WithInput(in))
		if m, ok := model.(Model); ok {
			m.in.gate = g // the message line counts what the gate dropped
			model = m
		}
	}
	p := tea.NewProgram(model, append(base, popts...)...)
	if m, ok := model.(Model); ok && m.role.teaching() {
		m.role.hub.SetTeacher(p.Send) // followers' forks and counts reach this program
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

// Update routes a message: keys through the action table (input.go),
// frames and ticks to the runner, the rest to the room or role they
// belong to. Whatever changed the screen rebuilds the frame once.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = clampSize(msg.Width, msg.Height)
		m.refresh()
		// Redraw everything: a terminal that reflowed its lines on the
		// resize no longer holds what the renderer thinks it does.
		return m, tea.ClearScreen
	case tea.KeyPressMsg:
		return m.keys(msg)
	case tea.PasteMsg:
		m.say(true, "a paste of %d characters is ignored: the dashboard takes keys one at a time", len([]rune(msg.Content)))
		return m, m.frameSoon()
	case tickMsg:
		if msg.id != m.tickID || !m.running {
			return m, nil // a tick from before a pause: drop it
		}
		m.train()
		if m.running {
			cmd = m.nextTick()
		}
	case frameMsg:
		m.in.pending = false
		if m.pendingSteps() {
			cmd = m.frameSoon() // more queued n steps than one frame takes
		}
	case mapPollMsg:
		if m.frame.cmap.same(m.cmap.frame(m.opts.Maps, m.mode == modeMap)) {
			return m, m.pollMapRoom() // no progress: no new frame
		}
		cmd = m.pollMapRoom()
	case sharedFrameMsg:
		if !m.role.following() {
			return m, nil
		}
		turn := msg.f.panel != m.shared.panel && m.mode != modeHelp && m.mode != modeTimeline // the teacher (or the lesson) turned to another panel: so do we
		m.shared = msg.f
		if turn {
			if msg.f.panel == modeMap {
				m.refresh()
				cmd = m.openMap()
			} else {
				m.mode, m.back = msg.f.panel, modePlots
			}
		}
	case followersMsg: // a student joined or left: the header's count
	case classPollMsg:
		cmd = m.classPoll()
	case forkRequest: // a follower asks the teacher for a copy of the run
		msg.reply <- m.session.Clone()
		return m, nil
	case forkedMsg:
		cmd = m.forked(msg)
	case closingMsg:
		m.pause()
		m.say(true, "%s", msg.text)
		cmd = tea.Tick(time.Second, func(time.Time) tea.Msg { return tea.QuitMsg{} })
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

func (m *Model) say(bad bool, format string, a ...any) {
	m.msg, m.msgBad, m.msgAt, m.msgMode = fmt.Sprintf(format, a...), bad, m.now(), m.mode
	m.said++
}

// toggle opens a room, or returns to the plots if it is open.
func (m *Model) toggle(to mode) {
	if m.mode == to {
		m.mode = m.back
		if m.mode == to || m.mode == modeHelp || m.mode == modePicker {
			m.mode = modePlots
		}
		return
	}
	if to == modeHelp {
		m.back = m.mode
	} else {
		m.back = modePlots
	}
	m.mode = to
}
