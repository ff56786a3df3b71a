package classroom

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// One connection's state, from the TCP accept to its close: its deadlines,
// its place in the limiter, its one session channel and that session's
// window size. Everything a client can make the server hold is counted
// here before it is held.

type ctxKey struct{}

type connState struct {
	srv   *Server
	conn  *guardedConn
	key   string // the limiter's address key
	entry *addrEntry

	mu         sync.Mutex
	handshake  bool // still in the limiter's handshake count
	channels   int  // session channels open now
	opened     int  // session channels opened in all
	keyInfo    string
	noPTY      bool // the key's authorized_keys line says no-pty or restrict
	win        *windowSlot
	dashboards int
}

func stateOf(ctx ssh.Context) *connState {
	st, _ := ctx.Value(ctxKey{}).(*connState)
	return st
}

// endHandshake takes the connection out of the limiter's handshake count
// (once: at login or at close).
func (st *connState) endHandshake() {
	st.mu.Lock()
	was := st.handshake
	st.handshake = false
	st.mu.Unlock()
	if was {
		st.srv.limiter.release(st.entry)
	}
}

// guardedConn is the TCP connection with a deadline for each phase: the
// key exchange, the login and the wait for a session. The SSH library
// sets its own deadlines (the session limit, the idle backstop) through
// SetDeadline; the earlier of the two holds.
type guardedConn struct {
	net.Conn
	mu     sync.Mutex
	lib    time.Time // the library's deadline
	phase  time.Time // ours; zero once a dashboard runs
	closed atomic.Bool
	st     *connState
}

func (c *guardedConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lib = t
	return c.apply()
}

func (c *guardedConn) setPhase(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.phase = t
	_ = c.apply()
}

func (c *guardedConn) apply() error {
	d := c.lib
	if !c.phase.IsZero() && (d.IsZero() || c.phase.Before(d)) {
		d = c.phase
	}
	return c.Conn.SetDeadline(d)
}

// Close ends the connection and gives back what it held: its handshake
// place, its count.
func (c *guardedConn) Close() error {
	err := c.Conn.Close()
	if !c.closed.Swap(true) && c.st != nil {
		c.st.endHandshake()
		c.st.srv.conns.Add(-1)
	}
	return err
}

// connCallback admits a TCP connection, before any SSH work, and starts
// its key-exchange deadline.
func (s *Server) connCallback(ctx ssh.Context, conn net.Conn) net.Conn {
	key := addrKey(conn.RemoteAddr().String())
	e, why := s.limiter.admit(key, time.Now())
	if e == nil {
		s.refusals.Add(1)
		s.logRefusal(key, why)
		return nil // closed before the handshake
	}
	g := &guardedConn{Conn: conn}
	g.setPhase(time.Now().Add(s.cfg.Limits.HandshakeTimeout))
	st := &connState{srv: s, conn: g, key: key, entry: e, handshake: true}
	g.st = st
	ctx.SetValue(ctxKey{}, st)
	s.conns.Add(1)
	return g
}

// logRefusal logs refused connections, at most one line a second: a flood
// must not become a flood of log lines.
func (s *Server) logRefusal(key, why string) {
	now := time.Now().Unix()
	if last := s.refusalLogged.Load(); last == now || !s.refusalLogged.CompareAndSwap(last, now) {
		return
	}
	s.log.Warn("connection refused", "from", key, "why", why, "refused_so_far", s.refusals.Load())
}

// sessionChannel admits few session channels per connection, and puts the request filter between the client and the
// library's session.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	st := stateOf(ctx)
	if st == nil {
		_ = nc.Reject(gossh.Prohibited, "no state")
		return
	}
	st.mu.Lock()
	// Two at a time: a refused session's channel may still be closing
	// when the client opens the next. One dashboard (see guard).
	if st.channels >= 2 || st.opened >= s.cfg.Limits.ChannelsPerConn {
		st.mu.Unlock()
		_ = nc.Reject(gossh.ResourceShortage, "one dashboard per connection")
		return
	}
	st.channels++
	st.opened++
	st.win = newWindowSlot()
	win := st.win
	st.mu.Unlock()
	defer func() {
		st.mu.Lock()
		st.channels--
		st.mu.Unlock()
	}()
	ssh.DefaultSessionHandler(srv, conn, filteredChannel{NewChannel: nc, s: s, win: win}, ctx)
}

type filteredChannel struct {
	gossh.NewChannel
	s   *Server
	win *windowSlot
}

func (f filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := f.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go f.s.filter(reqs, out, f.win)
	return ch, out, nil
}

// filter reads every request of a session channel for the channel's whole
// life, so the SSH library's loop never blocks the connection: sizes are
// clamped, env requests counted and sized, window changes kept as the
// latest size (never queued), and at most a few other requests wait.
func (s *Server) filter(in <-chan *gossh.Request, out chan<- *gossh.Request, win *windowSlot) {
	defer close(out)
	lim := s.cfg.Limits
	var queue []*gossh.Request
	env := 0
	for {
		var next *gossh.Request
		var outc chan<- *gossh.Request
		if len(queue) > 0 {
			next, outc = queue[0], out
		}
		select {
		case req, ok := <-in:
			if !ok {
				for _, r := range queue {
					_ = r.Reply(false, nil)
				}
				return
			}
			switch {
			case len(req.Payload) > lim.RequestBytes:
				_ = req.Reply(false, nil)
				continue
			case req.Type == "auth-agent-req@openssh.com" || req.Type == "x11-req":
				_ = req.Reply(false, nil) // nothing is forwarded: say so
				continue
			case req.Type == "window-change":
				var w windowChange
				ok := gossh.Unmarshal(req.Payload, &w) == nil
				if ok {
					win.set(lim.clamp(int(w.Cols), int(w.Rows)))
				}
				_ = req.Reply(ok, nil)
				continue
			case req.Type == "env":
				var kv struct{ Key, Value string }
				if env >= lim.Env || gossh.Unmarshal(req.Payload, &kv) != nil || len(kv.Key) > lim.EnvBytes || len(kv.Value) > lim.EnvBytes {
					_ = req.Reply(false, nil)
					continue
				}
				env++
			case req.Type == "pty-req":
				var p ptyRequest
				if gossh.Unmarshal(req.Payload, &p) != nil || len(p.Term) > 64 {
					_ = req.Reply(false, nil)
					continue
				}
				w, h := lim.clamp(int(p.Cols), int(p.Rows))
				p.Cols, p.Rows = uint32(w), uint32(h)
				req.Payload = gossh.Marshal(p)
				win.set(w, h)
			}
			if len(queue) >= 8 {
				_ = req.Reply(false, nil)
				continue
			}
			queue = append(queue, req)
		case outc <- next:
			queue = queue[1:]
		}
	}
}

type windowChange struct{ Cols, Rows, PxW, PxH uint32 }

type ptyRequest struct {
	Term                 string
	Cols, Rows, PxW, PxH uint32
	Modes                string
}

// windowSlot is a session's latest window size: a change replaces the one
// before, so a storm costs nothing, and reading it never blocks a writer.
type windowSlot struct {
	mu      sync.Mutex
	w, h    int
	changed chan struct{} // one pending wake-up
}

func newWindowSlot() *windowSlot { return &windowSlot{changed: make(chan struct{}, 1)} }

func (ws *windowSlot) set(w, h int) {
	ws.mu.Lock()
	ws.w, ws.h = w, h
	ws.mu.Unlock()
	select {
	case ws.changed <- struct{}{}:
	default:
	}
}

func (ws *windowSlot) get() (int, int) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return ws.w, ws.h
}
