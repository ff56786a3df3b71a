package classroom

import (
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// dialFrom opens a TCP connection from a loopback address of its own
// (127.0.0.2 and on work on Linux).
func dialFrom(t *testing.T, from, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 10 * time.Second}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		t.Skipf("no loopback address %s here: %v", from, err)
	}
	return conn
}

// Repro 6 and the limiter: 20 addresses hold 15 silent connections each
// (300 in all); the server holds at most its per-address count of them,
// a student from another address is let in at once, and a flood from 300
// addresses leaves the limiter's table at its capacity.
func TestFloodFromManyAddresses(t *testing.T) {
	const perAddr, table = 8, 64
	// A long handshake deadline: none of the held ones may expire while
	// they are counted, however slow this machine.
	c := startClass(t, Config{Limits: Limits{HandshakesPerAddr: perAddr, AddrTable: table, HandshakeTimeout: 10 * time.Minute}})
	var silent []net.Conn
	for a := range 20 {
		for range 15 {
			conn := dialFrom(t, fmt.Sprintf("127.0.1.%d", a+1), c.addr)
			defer conn.Close()
			silent = append(silent, conn)
		}
	}
	// Each connection is held or closed at once; count the held ones on
	// the server once every connection has been accepted or refused.
	eventually(t, "300 connections accepted or refused", func() bool {
		return c.conns.Load()+c.refusals.Load() >= int64(len(silent))
	})
	held := c.conns.Load()
	if held > 20*perAddr {
		t.Fatalf("%d silent connections held; the limit is %d from each of 20 addresses", held, 20*perAddr)
	}
	s := dialRaw(t, c.addr, 80, 24, nil) // from 127.0.0.1
	s.waitFor(t, "lnfit · question")

	for a := range 300 {
		conn := dialFrom(t, fmt.Sprintf("127.0.%d.%d", 2+a/250, 1+a%250), c.addr)
		_ = conn.Close()
	}
	eventually(t, "the flood's connections seen", func() bool { return c.limiter.size() >= table })
	if n := c.limiter.size(); n > table {
		t.Fatalf("the limiter remembers %d addresses; its capacity is %d", n, table)
	}
	t.Logf("300 silent connections from 20 addresses: %d held (limit %d), %d refused at once; a student from another address got in; 320 addresses: the table holds %d",
		held, 20*perAddr, c.refusals.Load(), c.limiter.size())
}

// Repro 7's server side: a 10 kB paste then q closes the session, and the
// server's memory stays bounded. (The dashboard's side, answering q
// within a frame whatever is queued, is package tui's.)
func TestPasteThenQuit(t *testing.T) {
	if testing.Short() {
		t.Skip("the dashboard answers a paste key by key for seconds; run without -short")
	}
	c := startClass(t, Config{})
	base := heapMB()
	s := dialRaw(t, c.addr, 80, 24, nil)
	s.waitFor(t, "lnfit · question")
	_, _ = io.WriteString(s.stdin, strings.Repeat("l", 10_000)+"q")
	select {
	case <-s.ended:
	case <-time.After(backstop):
		t.Fatalf("the session did not close within %v of a 10 kB paste and q", backstop)
	}
	eventually(t, "the connection closed", func() bool { return c.conns.Load() == 0 })
	grown := heapMB() - base
	t.Logf("a 10 kB paste then q: the session closed; the heap grew %.1f MB", grown)
	if grown > 50 {
		t.Fatalf("the heap grew %.0f MB", grown)
	}
}

// A panicking session is logged and closed; the class goes on.
func TestPanicClosesOnlyThatSession(t *testing.T) {
	c := startClass(t, Config{})
	c.hooks.Store(&testHooks{beforeDashboard: func(s sshSession) {
		if s.User() == "boom" {
			panic("a bug")
		}
	}})
	ok := dialRaw(t, c.addr, 80, 24, nil)
	ok.waitFor(t, "lnfit · question")
	bad := dialRaw(t, c.addr, 80, 24, clientConfig("boom"))
	select {
	case <-bad.ended:
	case <-time.After(backstop):
		t.Fatal("the panicking session was not closed")
	}
	eventually(t, "the panic logged", func() bool { return strings.Contains(c.log.String(), "session panicked") })
	n := len(ok.out.String())
	_, _ = io.WriteString(ok.stdin, "?")
	eventually(t, "the other session still drawn", func() bool { return len(ok.out.String()) > n })
	if !strings.Contains(c.log.String(), "a bug") || !strings.Contains(c.log.String(), "stack=") {
		t.Fatalf("the log lacks the panic and its stack:\n%s", c.log.String())
	}
}

// The SSH library's own log lines go to the server's log.
func TestLibraryLogGoesToServerLog(t *testing.T) {
	c := startClass(t, Config{})
	// A channel of a type nobody handles: the library logs nothing for it,
	// so call its logger as it does.
	conn, err := gossh.Dial("tcp", c.addr, clientConfig("x"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	libSlogWarn("ssh: failed to accept session channel", "err", "test")
	if !strings.Contains(c.log.String(), "failed to accept session channel") {
		t.Fatalf("the library's line is not in the server's log:\n%s", c.log.String())
	}
}
