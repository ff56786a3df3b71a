// Package classroom is the SSH classroom: `lnfit --serve ADDR` gives every
// student the dashboard over plain ssh. Only the dashboard: no shell, no
// commands, no SFTP, no forwarding. Each session is its own run (sharing
// the cores through one runner.Pool), or, in broadcast, follows the
// teacher's run and may fork a copy of its own.
//
// Laid out like charmbracelet/soft-serve's pkg/ssh: New(Config) builds the
// server, Serve(listener) serves it, Close ends the class; each middleware
// is a named method (recovered, logged, closesConn, guard, dashboard).
// Everything a client can make the server spend is bounded before it is
// spent: see Limits.
package classroom

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	gossh "golang.org/x/crypto/ssh"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/tui"
)

// ErrClosed is what Serve returns once Close has ended the class.
var ErrClosed = ssh.ErrServerClosed

// Config is a classroom's setup.
type Config struct {
	HostKeyPath string // made (ed25519, 0600) if it does not exist; "": the browser door only

	// NewSession is a student's own run (not used in broadcast).
	NewSession func() (*engine.Session, error)
	Lesson     *runner.Lesson
	Classroom  bool           // the projector layout
	Broadcast  bool           // students follow the teacher's run (Hub) and may fork
	Challenge  *tui.Challenge // broadcast: the forks race to meet it (the teacher's class room ranks them)

	MaxSessions  int           // dashboards at once; 0: 20 a core
	IdleTimeout  time.Duration // a session without a key is closed; 0: 30 min
	SessionLimit time.Duration // a session is closed after this long; 0: 4 h

	// Access: open, a class code (keyboard-interactive), or the keys in an
	// authorized_keys file. Not both: a key names a student already.
	ClassCode      string
	AuthorizedKeys string

	Log    io.Writer // the server's log (logfmt lines); nil: discarded
	Pool   *runner.Pool
	Limits Limits
}

// Limits bound what one client can make the server hold. Zero fields take
// DefaultLimits' values.
type Limits struct {
	MaxWidth, MaxHeight int // a terminal is drawn at most this large
	Env, EnvBytes       int // env requests a session, and each name's and value's size
	RequestBytes        int // a channel request's payload
	ChannelsPerConn     int // session channels a connection may open in all (one at a time)

	HandshakeTimeout time.Duration // TCP accept → key exchange done
	AuthTimeout      time.Duration // key exchange → logged in (OpenSSH's LoginGraceTime: a human types the code)
	SessionWait      time.Duration // logged in → a dashboard runs
	CloseGrace       time.Duration // a dashboard ended → its connection closed
	WriteTimeout     time.Duration // the browser door: a frame a tab does not take this long ends its session

	ConnRate          float64 // connections a second from one address, after
	ConnBurst         int     // a burst
	FailRate          float64 // wrong class codes a second from one address, after
	FailBurst         int     // a burst; then the address is refused until it refills
	FailDelay         time.Duration
	HandshakesPerAddr int // connections not yet logged in, from one address
	Handshakes        int // and from all
	AddrTable         int // addresses the limiter remembers
}

// DefaultLimits are the limits of `lnfit --serve`.
func DefaultLimits() Limits {
	return Limits{MaxWidth: 320, MaxHeight: 100, Env: 16, EnvBytes: 256, RequestBytes: 4096, ChannelsPerConn: 4,
		HandshakeTimeout: 10 * time.Second, AuthTimeout: 2 * time.Minute, SessionWait: 10 * time.Second, CloseGrace: time.Second, WriteTimeout: 10 * time.Second,
		ConnRate: 5, ConnBurst: 20, FailRate: 1.0 / 6, FailBurst: 10, FailDelay: time.Second,
		HandshakesPerAddr: 64, Handshakes: 512, AddrTable: 4096} // 64: a class behind one NAT typing its code at once
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	pick := func(v *int, dv int) {
		if *v <= 0 {
			*v = dv
		}
	}
	pickD := func(v *time.Duration, dv time.Duration) {
		if *v <= 0 {
			*v = dv
		}
	}
	pickF := func(v *float64, dv float64) {
		if *v <= 0 {
			*v = dv
		}
	}
	pick(&l.MaxWidth, d.MaxWidth)
	pick(&l.MaxHeight, d.MaxHeight)
	pick(&l.Env, d.Env)
	pick(&l.EnvBytes, d.EnvBytes)
	pick(&l.RequestBytes, d.RequestBytes)
	pick(&l.ChannelsPerConn, d.ChannelsPerConn)
	pickD(&l.HandshakeTimeout, d.HandshakeTimeout)
	pickD(&l.AuthTimeout, d.AuthTimeout)
	pickD(&l.SessionWait, d.SessionWait)
	pickD(&l.CloseGrace, d.CloseGrace)
	pickD(&l.WriteTimeout, d.WriteTimeout)
	pickF(&l.ConnRate, d.ConnRate)
	pick(&l.ConnBurst, d.ConnBurst)
	pickF(&l.FailRate, d.FailRate)
	pick(&l.FailBurst, d.FailBurst)
	pickD(&l.FailDelay, d.FailDelay)
	pick(&l.HandshakesPerAddr, d.HandshakesPerAddr)
	pick(&l.Handshakes, d.Handshakes)
	pick(&l.AddrTable, d.AddrTable)
	return l
}

// clamp is a terminal size the server will draw: at most the maximum, and
// 80×24 for a size the client did not give.
func (l Limits) clamp(w, h int) (int, int) {
	if w <= 0 {
		w = 80
	}
	if h <= 0 {
		h = 24
	}
	return min(w, l.MaxWidth), min(h, l.MaxHeight)
}

// Server is a classroom.
type Server struct {
	cfg         Config
	ssh         *ssh.Server
	log         *slog.Logger
	limiter     *limiter
	keys        *keyFile
	pool        *runner.Pool
	hub         *tui.Hub
	maps        *tui.MapCache
	fingerprint string
	opened      time.Time

	sessions, conns         atomic.Int64
	refusals, refusalLogged atomic.Int64
	logins, failures        atomic.Int64

	mu       sync.Mutex
	programs map[*tea.Program]*sessionOut
	webs     []*webDoor    // the browser doors (web.go)
	emptied  chan struct{} // closed when programs becomes empty while closing
	closing  bool
	once     sync.Once

	hooks atomic.Pointer[testHooks] // tests: faults to inject
}

// testHooks are faults a test injects into a running server.
type testHooks struct {
	beforeDashboard func(ssh.Session)
	wrapModel       func(tea.Model) tea.Model
}

// New checks cfg and builds the server (it does not listen yet).
func New(cfg Config) (*Server, error) {
	if cfg.ClassCode != "" && cfg.AuthorizedKeys != "" {
		return nil, errors.New("--class-code and --authorized-keys: give one (a key already names the student; a code would only be a second, weaker password)")
	}
	if !cfg.Broadcast && cfg.NewSession == nil {
		return nil, errors.New("no session to give students")
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 20 * runtime.GOMAXPROCS(0)
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 30 * time.Minute
	}
	if cfg.SessionLimit <= 0 {
		cfg.SessionLimit = 4 * time.Hour
	}
	cfg.Limits = cfg.Limits.withDefaults()
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if cfg.Pool == nil {
		cfg.Pool = runner.NewPool(runtime.GOMAXPROCS(0))
	}
	s := &Server{cfg: cfg, log: slog.New(slog.NewTextHandler(cfg.Log, nil)), limiter: newLimiter(cfg.Limits),
		pool: cfg.Pool, maps: tui.NewMapCache(), opened: time.Now(), programs: map[*tea.Program]*sessionOut{}}
	if cfg.Broadcast {
		s.hub = tui.NewHub()
		s.hub.SetChallenge(cfg.Challenge)
	}
	if cfg.Challenge != nil && !cfg.Broadcast {
		return nil, errors.New("a challenge is raced by forks of the teacher's run: it goes with broadcast")
	}
	if cfg.AuthorizedKeys != "" {
		kf, err := readAuthorizedKeys(cfg.AuthorizedKeys, time.Now())
		if err != nil {
			return nil, err
		}
		s.keys = kf
	}
	opts := []ssh.Option{ssh.EmulatePty(),
		wish.WithMaxTimeout(cfg.SessionLimit + time.Minute), // backstops: sessions are told and closed before
		wish.WithIdleTimeout(cfg.IdleTimeout + time.Minute)}
	if cfg.HostKeyPath != "" {
		opts = append(opts, wish.WithHostKeyPath(cfg.HostKeyPath))
	} else { // the browser door only (Serve refuses)
		opts = append(opts, memoryHostKey)
	}
	srv, err := wish.NewServer(opts...)
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", engine.EscapeText(cfg.HostKeyPath), err)
	}
	if cfg.HostKeyPath != "" {
		if err := os.Chmod(cfg.HostKeyPath, 0o600); err != nil {
			return nil, fmt.Errorf("host key: %w", err)
		}
	}
	if len(srv.HostSigners) > 0 {
		s.fingerprint = gossh.FingerprintSHA256(srv.HostSigners[0].PublicKey())
	}
	srv.ConnCallback = s.connCallback
	srv.ServerConfigCallback = s.serverConfig
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
	srv.RequestHandlers = map[string]ssh.RequestHandler{} // no global requests: no forwarding
	srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
	switch {
	case s.keys != nil:
		srv.PublicKeyHandler = s.publicKey
	case cfg.ClassCode != "":
		srv.KeyboardInteractiveHandler = s.classCode
	}
	srv.Handler = s.recovered(s.logged(s.closesConn(s.guard(s.dashboard(func(ssh.Session) {})))))
	s.ssh = srv
	routeLibraryLog(s.log)
	return s, nil
}

// Serve serves the classroom on l until Close; it returns ErrClosed then.
func (s *Server) Serve(l net.Listener) error {
	if s.cfg.HostKeyPath == "" {
		return errors.New("no host key path: the SSH door needs one")
	}
	return s.ssh.Serve(l)
}

// Fingerprint is the host key's SHA256 fingerprint, as ssh shows it.
func (s *Server) Fingerprint() string { return s.fingerprint }

// Pool is the pool every run of the class trains in.
func (s *Server) Pool() *runner.Pool { return s.pool }

// Hub is the broadcast's hub (nil unless Broadcast).
func (s *Server) Hub() *tui.Hub { return s.hub }

// Maps is the class's one map cache.
func (s *Server) Maps() *tui.MapCache { return s.maps }

// Skipped is the authorized_keys lines that were not used, "line N: why".
func (s *Server) Skipped() []string {
	if s.keys == nil {
		return nil
	}
	return s.keys.skipped
}

// Access says who may connect, for the start banner.
func (s *Server) Access() string {
	switch {
	case s.keys != nil:
		n := fmt.Sprintf("%d keys", len(s.keys.keys))
		if len(s.keys.keys) == 1 {
			n = "1 key"
		}
		return fmt.Sprintf("the %s in %s (their from= and expiry-time= honoured)", n, engine.EscapeText(s.cfg.AuthorizedKeys))
	case s.cfg.ClassCode != "":
		return "the class code"
	}
	return "open to anyone who can reach this address (--class-code WORD asks for a code)"
}

// Limits are the limits in force.
func (s *Server) Limits() Limits { return s.cfg.Limits }

const closingText = "the class is over: the server is closing"

// Close tells every session the class is over and ends it, within about
// two seconds whatever the sessions are doing: a dashboard that has not
// quit a second after being told gets the message written straight onto
// its terminal, and its connection is closed.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		s.mu.Lock()
		s.closing = true
		s.emptied = make(chan struct{})
		if len(s.programs) == 0 {
			close(s.emptied)
		}
		n := len(s.programs)
		for p := range s.programs {
			go p.Send(tui.Closing(closingText))
		}
		s.mu.Unlock()
		select {
		case <-s.emptied: // every dashboard showed the message and quit
		case <-time.After(1300 * time.Millisecond):
			s.mu.Lock()
			stuck := make(chan struct{}, len(s.programs))
			for p, out := range s.programs {
				go func() { out.last(closingText); stuck <- struct{}{} }()
				p.Kill()
			}
			left := len(s.programs)
			s.mu.Unlock()
			wait := time.After(300 * time.Millisecond) // a client that does not read is not waited for
			for ; left > 0; left-- {
				select {
				case <-stuck:
				case <-wait:
					left = 1
				}
			}
		}
		err = s.ssh.Close()
		s.mu.Lock()
		webs := s.webs
		s.mu.Unlock()
		for _, d := range webs {
			d.close()
		}
		s.log.Info("class closed", "sessions", n, "trained_s", fmt.Sprintf("%.1f", s.pool.Busy().Seconds()),
			"open_s", fmt.Sprintf("%.1f", time.Since(s.opened).Seconds()), "cores", s.pool.Cores(),
			"logins", s.logins.Load(), "failed_logins", s.failures.Load(), "refused_conns", s.refusals.Load(),
			"goroutines", runtime.NumGoroutine())
	})
	return err
}

// isClosing reports whether Close has begun.
func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// register adds a running dashboard; false when the class is closing.
func (s *Server) register(p *tea.Program, out *sessionOut) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.programs[p] = out
	return true
}

func (s *Server) unregister(p *tea.Program) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.programs, p)
	if s.closing && len(s.programs) == 0 {
		select {
		case <-s.emptied:
		default:
			close(s.emptied)
		}
	}
}

// The SSH library logs through log/slog's default logger; its lines go to
// the running classroom's log, never onto a terminal a dashboard owns.
var (
	libLog     atomic.Pointer[slog.Logger]
	libLogOnce sync.Once
)

func routeLibraryLog(l *slog.Logger) {
	libLog.Store(l.With("source", "ssh library"))
	libLogOnce.Do(func() { slog.SetDefault(slog.New(forward{})) })
}
