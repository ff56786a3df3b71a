package classroom

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// The attack suite (issue 18): each test makes the server spend what a
// client could make it spend, and asserts the bound that holds.

// Repro 1: a PTY request of 2000×2000 (and a window change to 65535×65535)
// is drawn at the maximum, so three such sessions cost what three
// 500×200 terminals cost, not gigabytes.
func TestHugePTYIsClamped(t *testing.T) {
	c := startClass(t, Config{})
	base := heapMB()
	var ss []*student
	for range 3 {
		s := dial(t, c.addr, 2000, 2000, 20, 5, nil) // a small screen here: only the server's memory is measured
		s.drawn(t, "?")
		ss = append(ss, s)
	}
	for _, s := range ss {
		_ = s.sess.WindowChange(65535, 65535)
		s.drawn(t, "?") // drawn again after the change
	}
	grown := heapMB() - base
	t.Logf("3 sessions asking for 2000×2000, then 65535×65535: the heap grew %.1f MB (drawn at %d×%d)", grown,
		c.Limits().MaxWidth, c.Limits().MaxHeight)
	if grown > 250 { // 320×100 costs 17–27 MB a session (docs/classroom-reliability.md); 2000×2000 unclamped, gigabytes
		t.Fatalf("3 sessions with huge terminals grew the heap by %.0f MB; the clamp bounds it near 3 × 500×200", grown)
	}
}

// Repro 2: env requests are counted and sized: of 300 requests of 100 kB
// and 300 small ones, at most Limits.Env are accepted, and the heap does
// not hold what was sent.
func TestEnvFloodIsRefused(t *testing.T) {
	c := startClass(t, Config{})
	conn, err := gossh.Dial("tcp", c.addr, clientConfig("env"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ch, reqs, err := conn.OpenChannel("session", nil)
	if err != nil {
		t.Fatal(err)
	}
	go gossh.DiscardRequests(reqs)
	base := heapMB()
	big := strings.Repeat("x", 100_000)
	accepted := 0
	for i := range 600 {
		v := "short"
		if i%2 == 0 {
			v = big
		}
		ok, err := ch.SendRequest("env", true, gossh.Marshal(struct{ Key, Value string }{"LNFIT_FLOOD", v}))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if ok {
			accepted++
		}
	}
	grown := heapMB() - base
	t.Logf("600 env requests (300 of 100 kB): %d accepted, the heap grew %.1f MB", accepted, grown)
	if accepted > c.Limits().Env {
		t.Fatalf("%d env requests accepted; the limit is %d", accepted, c.Limits().Env)
	}
	if grown > 20 {
		t.Fatalf("the env flood grew the heap by %.0f MB", grown)
	}
}

// Repro 5: window changes after a session has ended (after q) never block
// the connection: twenty students press q, send 100 window changes each
// and keep their connections open; the server closes every one of them
// itself and its goroutines come back to their count.
func TestWinchAfterEndFreesEverything(t *testing.T) {
	c := startClass(t, Config{})
	base := serverGoroutines()
	baseFDs := fds()
	var ss []*rawStudent
	for range 20 {
		ss = append(ss, dialRaw(t, c.addr, 80, 24, nil))
	}
	for _, s := range ss {
		s.waitFor(t, "lnfit · question")
		s.stdin.Write([]byte("q"))
		for i := range 100 {
			_ = s.sess.WindowChange(24+i%50, 80+i)
		}
	}
	// The clients never close: the server must.
	for _, s := range ss {
		select {
		case <-s.ended:
		case <-time.After(backstop):
			t.Fatal("a session that quit was not closed by the server")
		}
	}
	eventually(t, "every connection closed by the server", func() bool { return c.conns.Load() == 0 })
	var g int
	eventually(t, "the server's goroutines back to their count", func() bool { g = serverGoroutines(); return g <= base })
	for _, s := range ss {
		_ = s.conn.Close()
	}
	f := fds()
	t.Logf("20 sessions quit then sent 100 window changes each: server connections %d, server goroutines %d (were %d), fds %d (were %d)",
		c.conns.Load(), g, base, f, baseFDs)
	if f > baseFDs+4 {
		t.Fatalf("fds: %d before, %d after", baseFDs, f)
	}
}

// Repro 6: a TCP connection that never starts the handshake is closed at
// the handshake deadline; one that never finishes its login at the login
// deadline; one logged in that never opens a dashboard at the session
// wait. (The deadlines are short here; the defaults are 10 s, 1 min, 10 s.)
func TestSilentConnectionsAreClosed(t *testing.T) {
	c := startClass(t, Config{ClassCode: "owl", Limits: Limits{ConnBurst: 100, HandshakeTimeout: 500 * time.Millisecond,
		AuthTimeout: 500 * time.Millisecond, SessionWait: 500 * time.Millisecond}})
	var silent []net.Conn
	for range 30 {
		conn, err := net.Dial("tcp", c.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		silent = append(silent, conn)
	}
	for i, conn := range silent {
		_ = conn.SetReadDeadline(time.Now().Add(backstop))
		if _, err := io.Copy(io.Discard, conn); err != nil { // the server's banner, then EOF
			t.Fatalf("silent connection %d: not closed by the server: %v", i, err)
		}
	}
	eventually(t, "the silent connections closed on the server", func() bool { return c.conns.Load() == 0 })
	// Logged in halfway: a code is asked for and not answered until the
	// server has dropped the connection.
	dropped := false
	_, err := gossh.Dial("tcp", c.addr, clientConfig("slow", gossh.KeyboardInteractive(func(_, _ string, _ []string, _ []bool) ([]string, error) {
		deadline := time.Now().Add(backstop)
		for c.conns.Load() > 0 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		dropped = c.conns.Load() == 0
		return []string{"owl"}, nil
	})))
	if err == nil || !dropped {
		t.Fatalf("a login that did not answer was held (dropped %v, err %v)", dropped, err)
	}
	// Logged in, no session.
	conn, err := gossh.Dial("tcp", c.addr, clientConfig("idle", codeAuth("owl")))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	done := make(chan error, 1)
	go func() { done <- conn.Wait() }()
	select {
	case <-done:
	case <-time.After(backstop):
		t.Fatal("a connection with no session was held")
	}
	eventually(t, "no connection held", func() bool { return c.conns.Load() == 0 })
	if c.limiter.pending != 0 {
		t.Fatalf("%d handshakes still counted", c.limiter.pending)
	}
}

func codeAuth(code string) gossh.AuthMethod {
	return gossh.KeyboardInteractive(func(_, _ string, qs []string, _ []bool) ([]string, error) {
		return []string{code}, nil
	})
}

// Channels per connection: of ten session channels opened at once, at most
// two are accepted, and of two dashboards asked for on one connection one
// runs; the other is told why.
func TestOneDashboardPerConnection(t *testing.T) {
	c := startClass(t, Config{})
	conn, err := gossh.Dial("tcp", c.addr, clientConfig("many"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	accepted := 0
	var sessions []*gossh.Session
	for range 10 {
		s, err := conn.NewSession()
		if err == nil {
			accepted++
			sessions = append(sessions, s)
		}
	}
	if accepted > 2 {
		t.Fatalf("%d session channels accepted on one connection", accepted)
	}
	if accepted < 2 {
		t.Fatalf("only %d session channels accepted", accepted)
	}
	var outs [2]syncBuffer
	for i, s := range sessions {
		s.Stdout, s.Stderr = &outs[i], &outs[i]
		_ = s.RequestPty("xterm", 24, 80, gossh.TerminalModes{})
		if err := s.Shell(); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "one dashboard, one refusal", func() bool {
		a, b := outs[0].String(), outs[1].String()
		return (strings.Contains(a, "one dashboard per connection") && strings.Contains(b, "lnfit")) ||
			(strings.Contains(b, "one dashboard per connection") && strings.Contains(a, "lnfit"))
	})
	if n := c.sessions.Load(); n != 1 {
		t.Fatalf("%d seats taken by one connection", n)
	}
}
