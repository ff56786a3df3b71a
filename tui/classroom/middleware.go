package classroom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"github.com/charmbracelet/colorprofile"
	gossh "golang.org/x/crypto/ssh"

	"lnfit/engine"
	"lnfit/tui"
)

// The session's middlewares, outermost first: recovered, logged,
// closesConn, guard, dashboard.

// endedText is what a student sees when the teacher ends their session.
const endedText = "the teacher ended this session"

// studentFrame is a student's frame time: about 20 frames a second.
const studentFrame = 50 * time.Millisecond

// recovered logs a session's panic with its stack and closes that session
// only; the class goes on.
func (s *Server) recovered(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("session panicked: closed", "user", sess.User(), "from", sess.RemoteAddr().String(),
					"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				_ = sess.Exit(1)
				closeConn(sess)
			}
		}()
		next(sess)
	}
}

// logged logs each session's start and end: who, from where, how long.
func (s *Server) logged(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		start := time.Now()
		s.log.Info("connected", "user", sess.User(), "from", sess.RemoteAddr().String(), "sessions", s.sessions.Load()+1,
			"goroutines", runtime.NumGoroutine())
		next(sess)
		s.log.Info("disconnected", "user", sess.User(), "from", sess.RemoteAddr().String(), "after", time.Since(start).Round(time.Second),
			"sessions", s.sessions.Load(), "goroutines", runtime.NumGoroutine())
	}
}

// closesConn closes the connection soon after its dashboard ends: one
// dashboard a connection, and nothing of it is held after.
func (s *Server) closesConn(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		next(sess)
		st := stateOf(sess.Context())
		if st == nil {
			return
		}
		st.mu.Lock()
		ran := st.dashboards > 0
		st.mu.Unlock()
		if ran { // a refused session leaves the connection for another try
			time.AfterFunc(s.cfg.Limits.CloseGrace, func() { closeConn(sess) })
		}
	}
}

func closeConn(sess ssh.Session) {
	if c, ok := sess.Context().Value(ssh.ContextKeyConn).(gossh.Conn); ok {
		_ = c.Close()
	}
}

// guard lets through only an interactive terminal session, and only while
// the class has a seat.
func (s *Server) guard(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		st := stateOf(sess.Context())
		if len(sess.Command()) > 0 || sess.Subsystem() != "" {
			wish.Fatalln(sess, "lnfit serves its dashboard only, not commands: connect with plain ssh (ssh -p PORT HOST)")
			return
		}
		if st != nil && st.noPTY {
			wish.Fatalln(sess, "this key may not open a terminal (no-pty or restrict in the authorized keys), and lnfit is only a dashboard")
			return
		}
		if _, _, ok := sess.Pty(); !ok {
			wish.Fatalln(sess, "lnfit needs a terminal: connect with ssh -t -p PORT HOST")
			return
		}
		if st != nil {
			st.mu.Lock()
			again := st.dashboards > 0
			st.dashboards++
			st.mu.Unlock()
			if again {
				wish.Fatalln(sess, "one dashboard per connection: connect again for another")
				return
			}
		}
		leave, full := s.takeSeat()
		if full != "" {
			wish.Fatalln(sess, full)
			return
		}
		defer leave()
		if st != nil {
			st.conn.setPhase(time.Time{}) // a dashboard runs: only its own limits now
		}
		next(sess)
	}
}

// takeSeat counts a dashboard against MaxSessions, whichever door it came
// by; full is why not when the class is full. leave gives the seat back.
func (s *Server) takeSeat() (leave func(), full string) {
	if n := s.sessions.Add(1); n > int64(s.cfg.MaxSessions) {
		s.sessions.Add(-1)
		return nil, fmt.Sprintf("the class is full (%d sessions): try again in a minute", s.cfg.MaxSessions)
	}
	return func() { s.sessions.Add(-1) }, ""
}

// dashboard runs a student's dashboard on the session's terminal.
func (s *Server) dashboard(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		hooks := s.hooks.Load()
		if hooks != nil && hooks.beforeDashboard != nil {
			hooks.beforeDashboard(sess)
		}
		st := stateOf(sess.Context())
		pty, _, _ := sess.Pty()
		var win *windowSlot
		if st != nil {
			st.mu.Lock()
			win = st.win
			st.mu.Unlock()
		}
		user := sess.User()
		if typed, ok := sess.Context().Value(typedName{}).(string); ok {
			user = typed // the name typed after the class code (auth.go)
		}
		s.runDashboard(door{ctx: sess.Context(), user: user, from: sess.RemoteAddr().String(), in: sess, out: sess,
			w: pty.Window.Width, h: pty.Window.Height, env: append(sess.Environ(), "TERM="+pty.Term), win: win,
			refuse: func(why string) { wish.Fatalln(sess, why) }})
		next(sess)
	}
}

// door is how a session reached the class (an SSH channel, a browser's
// WebSocket): its terminal, its size and window changes, who and from where.
// Both doors run the same dashboard through runDashboard.
type door struct {
	ctx        context.Context
	user, from string // from: the remote address
	in         io.Reader
	out        io.Writer
	w, h       int // the terminal's size as the client gave it
	env        []string
	win        *windowSlot  // nil: the size never changes
	refuse     func(string) // says why there is no dashboard, on the client's terminal
}

// runDashboard runs a student's dashboard on d's terminal until it quits,
// the teacher or a limit ends it, or the class closes; why is the reason
// the server ended it ("" when the student quit), which it leaves written
// on the terminal once the dashboard's alternate screen is gone.
func (s *Server) runDashboard(d door) (why string) {
	hooks := s.hooks.Load()
	w, h := s.cfg.Limits.clamp(d.w, d.h) // before any buffer is made
	opts := tui.Options{Classroom: s.cfg.Classroom, Profile: colorprofile.Env(d.env), Pool: s.pool, FrameTime: studentFrame,
		Remote: true, Maps: s.maps}
	var run *engine.Session
	var prog atomic.Pointer[tea.Program]
	var reason atomic.Pointer[string]
	end := func(text string) { // the dashboard shows text, then quits
		if p := prog.Load(); p != nil {
			reason.Store(&text)
			p.Send(tui.Closing(text))
		}
	}
	if s.hub != nil {
		// A seat in the teacher's class room: who, from where, and how the teacher ends it.
		user := engine.EscapeText(d.user)
		opts.Seat = s.hub.Join(user, addrKey(d.from), time.Now(), func() {
			if p := prog.Load(); p != nil {
				s.log.Info("ended by the teacher", "user", user, "from", d.from)
				end(endedText)
			}
		})
		defer s.hub.Leave(opts.Seat)
		opts.Hub, opts.Follow = s.hub, true
		tr, _ := engine.New(engine.DefaultConfig()) // a placeholder until the student forks
		run = engine.NewSession(tr, "following")
	} else {
		var err error
		if run, err = s.cfg.NewSession(); err != nil {
			d.refuse("lnfit: " + err.Error())
			return ""
		}
		opts.Lesson = s.cfg.Lesson
	}
	ctx, cancel := context.WithCancel(d.ctx)
	defer cancel()
	in := &activity{r: d.in}
	in.touch()
	out := &sessionOut{w: d.out}
	var model tea.Model = tui.New(run, opts)
	if hooks != nil && hooks.wrapModel != nil {
		model = hooks.wrapModel(model)
	}
	p := tea.NewProgram(model,
		tea.WithInput(tui.Gate(in)), tea.WithFilter(tui.Filter), tea.WithOutput(out), tea.WithContext(ctx),
		tea.WithEnvironment(d.env), tea.WithColorProfile(opts.Profile),
		tea.WithWindowSize(w, h), tea.WithFPS(20), tea.WithoutSignalHandler())
	prog.Store(p)
	if !s.register(p, out) {
		d.refuse(closingText)
		return ""
	}
	defer s.unregister(p)
	if s.hub != nil {
		s.hub.Reach(opts.Seat, p.Send) // a fork the teacher shows is forked from this program
		stop := s.hub.Follow(p.Send)
		defer stop()
	}
	go s.watch(ctx, p, d.win, in, func(text string) { go end(text) })
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		s.log.Warn("session ended with an error", "user", d.user, "error", err)
	}
	p.Kill()
	if r := reason.Load(); r != nil {
		why = *r
	}
	if s.isClosing() {
		why = closingText
	}
	if why != "" {
		out.last(why)
	}
	return why
}

// watch forwards window changes and ends a session that has been idle, or
// open, too long, saying why on its screen first.
func (s *Server) watch(ctx context.Context, p *tea.Program, win *windowSlot, in *activity, end func(string)) {
	started := time.Now()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var changed chan struct{}
	if win != nil {
		changed = win.changed
		select { // the first size is the program's already
		case <-changed:
		default:
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-changed:
			w, h := win.get() // a storm of changes: only the last size matters
			p.Send(tea.WindowSizeMsg{Width: w, Height: h})
		case <-tick.C:
			switch {
			case time.Since(in.last()) > s.cfg.IdleTimeout:
				end(fmt.Sprintf("closed after %s without a key", s.cfg.IdleTimeout))
				return
			case time.Since(started) > s.cfg.SessionLimit:
				end(fmt.Sprintf("this session's time (%s) is up", s.cfg.SessionLimit))
				return
			}
		}
	}
}

// activity is a session's input, remembering when it last had a key.
type activity struct {
	r  io.Reader
	at atomic.Int64
}

func (a *activity) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.touch()
	}
	return n, err
}

func (a *activity) touch()          { a.at.Store(time.Now().UnixNano()) }
func (a *activity) last() time.Time { return time.Unix(0, a.at.Load()) }

// sessionOut is a dashboard's output. When the class closes and the
// dashboard has not quit, last writes the closing line itself (the
// terminal put back first) and drops anything the dashboard writes after.
type sessionOut struct {
	mu     sync.Mutex
	w      io.Writer
	closed bool
}

func (o *sessionOut) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return len(p), nil
	}
	return o.w.Write(p)
}

// restore leaves the alternate screen, shows the cursor and stops mouse
// reports: the terminal as the student had it.
const restore = "\x1b[0m\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?25h\x1b[?1049l"

func (o *sessionOut) last(text string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return
	}
	o.closed = true
	_, _ = io.WriteString(o.w, restore+"\r\nlnfit: "+strings.TrimSpace(text)+"\r\n")
}
