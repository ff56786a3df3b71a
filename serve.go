package main

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
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
	"lnfit/engine/runner"
	"lnfit/tui"
)

// The SSH classroom: `lnfit --serve ADDR` gives every student the dashboard
// over plain ssh. Only the dashboard: no shell, no commands, no SFTP, no
// forwarding. Each session is its own run (sharing the cores fairly through
// one runner.Pool), or, with --broadcast, follows the teacher's run on this
// terminal and may fork a copy of its own.

// studentFrame is a student's frame time: about 20 frames a second.
const studentFrame = 50 * time.Millisecond

func defaultMaxSessions() int { return 20 * runtime.GOMAXPROCS(0) }

// currentPool is the running server's pool, for its tests' accounting.
var currentPool atomic.Pointer[runner.Pool]

// classroom is a running server's state.
type classroom struct {
	st       start
	o        *options
	pool     *runner.Pool
	hub      *tui.Hub // broadcast only
	log      *slog.Logger
	sessions atomic.Int64
	limiter  *connLimiter
	opened   time.Time
	maps     *tui.MapCache // one map computation per setup for the whole class

	mu       sync.Mutex
	programs map[*tea.Program]bool
}

func serve(ctx context.Context, st start, o *options, env environment) int {
	if o.broadcast && !env.stdoutTTY && env.dashboard == nil {
		fmt.Fprintln(env.stderr, "lnfit: --broadcast: this terminal is the teacher's dashboard, and stdout is not a terminal")
		return exitUsage
	}
	keyPath, err := hostKeyPath(o.hostKey)
	if err != nil {
		fmt.Fprintf(env.stderr, "lnfit: --host-key: %v\n", err)
		return exitUsage
	}
	c := &classroom{st: st, o: o, pool: runner.NewPool(runtime.GOMAXPROCS(0)), programs: map[*tea.Program]bool{},
		limiter: newConnLimiter(5, 20), opened: time.Now(), maps: tui.NewMapCache()}
	currentPool.Store(c.pool)
	var logOut io.Writer = env.stderr
	var held *heldLog
	if o.broadcast { // the teacher's dashboard owns the terminal: hold the log until it ends
		held = &heldLog{max: 500}
		logOut = held
		c.hub = tui.NewHub()
	}
	c.log = slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{}))

	opts := []ssh.Option{
		wish.WithAddress(o.serve),
		wish.WithHostKeyPath(keyPath),
		ssh.EmulatePty(),
		wish.WithMaxTimeout(o.sessionLimit + time.Minute), // a backstop; sessions are told and closed before
		func(s *ssh.Server) error { s.ConnCallback = c.limiter.conn; return nil },
		wish.WithMiddleware(c.dashboard, c.guard, c.logged),
	}
	switch {
	case o.authorizedKeys != "":
		if _, err := engine.ReadFileCapped(o.authorizedKeys, 1<<20); err != nil {
			fmt.Fprintf(env.stderr, "lnfit: --authorized-keys: %v\n", err)
			return exitUsage
		}
		opts = append(opts, wish.WithAuthorizedKeys(o.authorizedKeys))
	case o.classCode != "":
		code := []byte(o.classCode)
		opts = append(opts, wish.WithKeyboardInteractiveAuth(func(_ ssh.Context, ask gossh.KeyboardInteractiveChallenge) bool {
			answers, err := ask("", "lnfit classroom", []string{"class code: "}, []bool{true})
			return err == nil && len(answers) == 1 && subtle.ConstantTimeCompare([]byte(answers[0]), code) == 1
		}))
	}
	srv, err := wish.NewServer(opts...)
	if err != nil {
		fmt.Fprintf(env.stderr, "lnfit: --serve: %v\n", err)
		return exitUsage
	}
	if err := os.Chmod(keyPath, 0o600); err != nil {
		fmt.Fprintf(env.stderr, "lnfit: --host-key: %v\n", err)
		return exitFailure
	}
	ln, err := net.Listen("tcp", o.serve)
	if err != nil {
		fmt.Fprintf(env.stderr, "lnfit: --serve %s: %v\n", engine.EscapeText(o.serve), err)
		return exitUsage
	}
	fp, _ := fingerprint(keyPath)
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	if host == "::" || host == "0.0.0.0" || host == "" {
		host = "THIS-MACHINE"
	}
	fmt.Fprintf(env.stdout, "lnfit classroom on %s (%s)\n", ln.Addr(), map[bool]string{true: "broadcast: students follow this terminal's run", false: "every student gets a run of their own"}[o.broadcast])
	fmt.Fprintf(env.stdout, "host key %s (%s)\n", fp, keyPath)
	fmt.Fprintf(env.stdout, "students: ssh -p %s %s\n", port, host)
	switch {
	case o.classCode != "":
		fmt.Fprintln(env.stdout, "access: the class code")
	case o.authorizedKeys != "":
		fmt.Fprintf(env.stdout, "access: the keys in %s\n", engine.EscapeText(o.authorizedKeys))
	default:
		fmt.Fprintln(env.stdout, "access: open to anyone who can reach this address (--class-code WORD asks for a code)")
	}
	fmt.Fprintf(env.stdout, "at most %d sessions, %s without a key, %s in all; Ctrl-C closes the class\n",
		o.maxSessions, o.idleTimeout, o.sessionLimit)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	code := exitOK
	if o.broadcast {
		s, err := st.session()
		if err != nil {
			fmt.Fprintf(env.stderr, "lnfit: %v\n", err)
			code = exitUsage
		} else {
			dash := env.dashboard
			if dash == nil {
				dash = tui.Run
			}
			teacher := tui.Options{Lesson: st.lesson, Classroom: o.classroom, SavePath: o.save, Hub: c.hub, Pool: c.pool, Maps: c.maps}
			if err := dash(ctx, s, teacher); err != nil {
				fmt.Fprintf(env.stderr, "lnfit: %v\n", err)
				code = exitFailure
			}
		}
	} else {
		select {
		case <-ctx.Done():
		case err := <-served:
			if err != nil && !errors.Is(err, ssh.ErrServerClosed) {
				fmt.Fprintf(env.stderr, "lnfit: --serve: %v\n", err)
				code = exitFailure
			}
		}
	}
	c.close(srv)
	if held != nil {
		held.flush(env.stderr)
	}
	return code
}

// close tells every session the class is over, then stops the server:
// within about two seconds in all.
func (c *classroom) close(srv *ssh.Server) {
	c.mu.Lock()
	for p := range c.programs {
		go p.Send(tui.Closing("the class is over: the server is closing"))
	}
	n := len(c.programs)
	c.mu.Unlock()
	if n > 0 {
		time.Sleep(time.Second) // the message is on every screen
	}
	ctx, cancel := context.WithTimeout(context.Background(), 900*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		_ = srv.Close()
	}
	c.log.Info("class closed", "sessions", n, "trained_s", fmt.Sprintf("%.1f", c.pool.Busy().Seconds()),
		"open_s", fmt.Sprintf("%.1f", time.Since(c.opened).Seconds()), "cores", c.pool.Cores(), "goroutines", runtime.NumGoroutine())
}

// logged logs each session's start and end: who, from where, how long.
func (c *classroom) logged(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		start := time.Now()
		c.log.Info("connected", "user", s.User(), "from", s.RemoteAddr().String(), "sessions", c.sessions.Load()+1,
			"goroutines", runtime.NumGoroutine())
		next(s)
		c.log.Info("disconnected", "user", s.User(), "from", s.RemoteAddr().String(), "after", time.Since(start).Round(time.Second),
			"sessions", c.sessions.Load(), "goroutines", runtime.NumGoroutine())
	}
}

// guard lets through only an interactive terminal session, and only while
// the class has room.
func (c *classroom) guard(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		if len(s.Command()) > 0 {
			wish.Fatalln(s, "lnfit serves its dashboard only, not commands: connect with plain ssh (ssh -p PORT HOST)")
			return
		}
		if _, _, ok := s.Pty(); !ok {
			wish.Fatalln(s, "lnfit needs a terminal: connect with ssh -t -p PORT HOST")
			return
		}
		if n := c.sessions.Add(1); n > int64(c.o.maxSessions) {
			c.sessions.Add(-1)
			wish.Fatalln(s, fmt.Sprintf("the class is full (%d sessions): try again in a minute", c.o.maxSessions))
			return
		}
		defer c.sessions.Add(-1)
		next(s)
	}
}

// dashboard runs a student's dashboard on the session's terminal.
func (c *classroom) dashboard(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		pty, windows, _ := s.Pty()
		env := append(s.Environ(), "TERM="+pty.Term)
		opts := tui.Options{Classroom: c.o.classroom, Profile: colorprofile.Env(env), Pool: c.pool, FrameTime: studentFrame, Remote: true,
			Maps: c.maps}
		var sess *engine.Session
		if c.hub != nil {
			opts.Hub, opts.Follow = c.hub, true
			tr, _ := engine.New(engine.DefaultConfig()) // a placeholder until the student forks
			sess = engine.NewSession(tr, "following")
		} else {
			var err error
			if sess, err = c.st.session(); err != nil {
				wish.Fatalln(s, "lnfit: "+err.Error())
				return
			}
			opts.Lesson = c.st.lesson
		}
		ctx, cancel := context.WithCancel(s.Context())
		defer cancel()
		in := &activity{r: s}
		in.touch()
		p := tea.NewProgram(tui.New(sess, opts),
			tea.WithInput(in), tea.WithOutput(s), tea.WithContext(ctx),
			tea.WithEnvironment(env), tea.WithColorProfile(opts.Profile),
			tea.WithWindowSize(pty.Window.Width, pty.Window.Height), tea.WithFPS(20),
			tea.WithoutSignalHandler())
		c.mu.Lock()
		c.programs[p] = true
		c.mu.Unlock()
		defer func() {
			c.mu.Lock()
			delete(c.programs, p)
			c.mu.Unlock()
		}()
		if c.hub != nil {
			stop := c.hub.Follow(p.Send)
			defer stop()
		}
		go c.watch(ctx, p, windows, in)
		if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
			c.log.Warn("session ended with an error", "user", s.User(), "error", err)
		}
		p.Kill()
		next(s)
	}
}

// watch forwards window changes and ends a session that has been idle, or
// open, too long, saying why on its screen first.
func (c *classroom) watch(ctx context.Context, p *tea.Program, windows <-chan ssh.Window, in *activity) {
	started := time.Now()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case w, ok := <-windows:
			if !ok {
				return
			}
			for more := true; more; { // a storm of changes: only the last size matters
				select {
				case w2, ok := <-windows:
					if !ok {
						return
					}
					w = w2
				default:
					more = false
				}
			}
			p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height}) // in order: the last size is the one drawn
		case <-tick.C:
			switch {
			case time.Since(in.last()) > c.o.idleTimeout:
				go p.Send(tui.Closing(fmt.Sprintf("closed after %s without a key", c.o.idleTimeout)))
				return
			case time.Since(started) > c.o.sessionLimit:
				go p.Send(tui.Closing(fmt.Sprintf("this session's time (%s) is up", c.o.sessionLimit)))
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

// connLimiter refuses connections from an address that opens them faster
// than rate a second (after a burst), before any SSH handshake work.
type connLimiter struct {
	rate, burst float64
	mu          sync.Mutex
	buckets     map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newConnLimiter(rate, burst float64) *connLimiter {
	return &connLimiter{rate: rate, burst: burst, buckets: map[string]*bucket{}}
}

func (l *connLimiter) allow(addr string, now time.Time) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buckets) > 10_000 { // bounded memory under a flood of addresses
		for k, b := range l.buckets {
			if now.Sub(b.at) > time.Minute {
				delete(l.buckets, k)
			}
		}
	}
	b, ok := l.buckets[host]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[host] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (l *connLimiter) conn(_ ssh.Context, conn net.Conn) net.Conn {
	if !l.allow(conn.RemoteAddr().String(), time.Now()) {
		return nil // closed before the handshake
	}
	return conn
}

// hostKeyPath is --host-key, or lnfit/host_ed25519 in the user's config
// directory (made 0700), so the key, and students' known_hosts, last.
func hostKeyPath(given string) (string, error) {
	if given != "" {
		return given, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no config directory for the host key (%v): give --host-key FILE", err)
	}
	dir = filepath.Join(dir, "lnfit")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return filepath.Join(dir, "host_ed25519"), nil
}

// fingerprint is the host key's SHA256 fingerprint, as ssh shows it.
func fingerprint(path string) (string, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	signer, err := gossh.ParsePrivateKey(pem)
	if err != nil {
		return "", err
	}
	return gossh.FingerprintSHA256(signer.PublicKey()), nil
}

// heldLog keeps the last log lines while the teacher's dashboard owns the
// terminal, and prints them after.
type heldLog struct {
	mu    sync.Mutex
	max   int
	lines []string
}

func (h *heldLog) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lines = append(h.lines, strings.TrimRight(string(p), "\n"))
	if len(h.lines) > h.max {
		h.lines = h.lines[len(h.lines)-h.max:]
	}
	return len(p), nil
}

func (h *heldLog) flush(w io.Writer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, l := range h.lines {
		fmt.Fprintln(w, l)
	}
}
