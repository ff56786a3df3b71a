package classroom

import (
	"bytes"
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
	"testing"
	"time"

	"charm.land/ssh"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"lnfit/engine"
	"lnfit/presets"
)

// The classroom's tests serve on a listener of their own on 127.0.0.1 and
// talk to it with golang.org/x/crypto/ssh clients; screens are read
// through a terminal emulator. Every server and client is stopped by the
// test that made it.

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type class struct {
	*Server
	addr string
	log  *syncBuffer
}

func questionSession() (*engine.Session, error) {
	p, err := presets.Get("question")
	if err != nil {
		return nil, err
	}
	cfg := p.Config
	cfg.Seed = 1
	tr, err := engine.New(cfg)
	if err != nil {
		return nil, err
	}
	s := engine.NewSession(tr, p.Name)
	s.SetOrigin(p.Name, cfg)
	return s, nil
}

// startClass serves cfg on 127.0.0.1:0 until the test ends.
func startClass(t testing.TB, cfg Config) *class {
	t.Helper()
	log := &syncBuffer{}
	if cfg.Log == nil {
		cfg.Log = log
	}
	if cfg.HostKeyPath == "" {
		cfg.HostKeyPath = filepath.Join(t.TempDir(), "host_key")
	}
	if cfg.NewSession == nil {
		cfg.NewSession = questionSession
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = s.Serve(ln); close(done) }()
	t.Cleanup(func() {
		_ = s.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("Serve did not return after Close")
		}
	})
	return &class{Server: s, addr: ln.Addr().String(), log: log}
}

// student is an ssh client with a terminal emulator for a screen.
type student struct {
	conn  *gossh.Client
	sess  *gossh.Session
	stdin io.WriteCloser
	mu    sync.Mutex // the emulator is not safe beside its Write
	emu   *vt.Emulator
	bytes atomic.Int64
	ended chan error // the session's Wait
}

type lockedWriter struct{ s *student }

func (w lockedWriter) Write(p []byte) (n int, err error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	defer func() {
		if r := recover(); r != nil { // x/vt v0.1.0 can index past its screen after a resize
			n, err = len(p), nil
		}
	}()
	w.s.bytes.Add(int64(len(p)))
	return w.s.emu.Write(p)
}

func clientConfig(user string, auth ...gossh.AuthMethod) *gossh.ClientConfig {
	return &gossh.ClientConfig{User: user, Auth: auth, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second}
}

// dial connects a student whose terminal asks for ptyW×ptyH and shows the
// first emuW×emuH of it.
func dial(t testing.TB, addr string, ptyW, ptyH, emuW, emuH int, cc *gossh.ClientConfig) *student {
	t.Helper()
	if cc == nil {
		cc = clientConfig("student")
	}
	conn, err := gossh.Dial("tcp", addr, cc)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	st := &student{conn: conn, sess: sess, emu: vt.NewEmulator(emuW, emuH), ended: make(chan error, 1)}
	if err := sess.RequestPty("xterm-256color", ptyH, ptyW, gossh.TerminalModes{}); err != nil {
		t.Fatalf("pty: %v", err)
	}
	st.stdin, _ = sess.StdinPipe()
	out, _ := sess.StdoutPipe()
	if err := sess.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	go func() { _, _ = io.Copy(lockedWriter{st}, out); st.ended <- sess.Wait() }()
	go func() { _, _ = io.Copy(st.stdin, st.emu) }()
	t.Cleanup(st.close)
	return st
}

func (s *student) close() {
	_ = s.sess.Close()
	_ = s.conn.Close()
}

func (s *student) screen() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emu.String()
}

func (s *student) press(k string) { _, _ = s.stdin.Write([]byte(k)) }

// backstop is how long a test waits for an event before calling it a
// hang: it catches hangs, never measures speed.
const backstop = time.Minute

func (s *student) waitFor(t testing.TB, what string) string {
	t.Helper()
	deadline := time.Now().Add(backstop)
	for time.Now().Before(deadline) {
		if scr := s.screen(); strings.Contains(scr, what) {
			return scr
		}
		time.Sleep(30 * time.Millisecond)
	}
	t.Fatalf("no %q on the screen after %v:\n%s", what, backstop, s.screen())
	return ""
}

// eventually polls cond until it holds, or fails the test at the backstop.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(backstop)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %v", what, backstop)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// heapMB is the live heap after a collection.
func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapInuse) / (1 << 20)
}

// rssMB is this process's resident memory.
func rssMB() float64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			var kb float64
			_, _ = fmt.Sscan(rest, &kb)
			return kb / 1024
		}
	}
	return 0
}

// fds is this process's open file descriptors.
func fds() int {
	es, _ := os.ReadDir("/proc/self/fd")
	return len(es)
}

// waitBytes waits until the student has received more than n bytes.
func (s *student) waitBytes(t testing.TB, n int64) {
	t.Helper()
	eventually(t, fmt.Sprintf("more than %d bytes from the server", n), func() bool { return s.bytes.Load() > n })
}

// drawn waits for a first frame, presses a key and waits for what it
// drew: the session has drawn at least twice at its size.
func (s *student) drawn(t testing.TB, key string) {
	t.Helper()
	s.waitBytes(t, 2000)
	time.Sleep(200 * time.Millisecond)
	n := s.bytes.Load()
	s.press(key)
	s.waitBytes(t, n+500)
}

// rawStudent is a client with a terminal and no emulator: what the server
// sends is kept as bytes (and no goroutine of it outlives its connection).
type rawStudent struct {
	conn  *gossh.Client
	sess  *gossh.Session
	stdin io.WriteCloser
	out   syncBuffer
	ended chan error
}

func dialRaw(t testing.TB, addr string, w, h int, cc *gossh.ClientConfig) *rawStudent {
	t.Helper()
	if cc == nil {
		cc = clientConfig("student")
	}
	conn, err := gossh.Dial("tcp", addr, cc)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	r := &rawStudent{conn: conn, sess: sess, ended: make(chan error, 1)}
	sess.Stdout, sess.Stderr = &r.out, &r.out
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatalf("pty: %v", err)
	}
	r.stdin, _ = sess.StdinPipe()
	if err := sess.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	go func() { r.ended <- sess.Wait() }()
	t.Cleanup(func() { _ = conn.Close() })
	return r
}

func (r *rawStudent) waitFor(t testing.TB, what string) {
	t.Helper()
	eventually(t, fmt.Sprintf("%q from the server", what), func() bool { return strings.Contains(r.out.String(), what) })
}

// serverGoroutines counts the goroutines running server code (the
// classroom, the SSH library's server side, the dashboards).
func serverGoroutines() int {
	runtime.GC()
	buf := make([]byte, 1<<22)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "lnfit/tui") || strings.Contains(g, "charm.land/ssh.") || strings.Contains(g, "bubbletea") ||
			strings.Contains(g, "ssh.(*ServerConn)") || strings.Contains(g, "ssh.NewServerConn") {
			n++
		}
	}
	return n
}

type sshSession = ssh.Session

// libSlogWarn logs as the SSH library does: through slog's default.
func libSlogWarn(msg string, args ...any) { slog.Warn(msg, args...) }

// watchFor reports, once, whether what appeared on the screen before the
// backstop: for a message a dashboard shows just before it leaves the
// alternate screen.
func (s *student) watchFor(what string) <-chan bool {
	seen := make(chan bool, 1)
	go func() {
		deadline := time.Now().Add(backstop)
		for !strings.Contains(s.screen(), what) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		seen <- time.Now().Before(deadline)
	}()
	return seen
}
