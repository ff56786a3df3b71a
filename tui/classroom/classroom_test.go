package classroom

import (
	"context"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"

	"lnfit/engine"
	"lnfit/presets"
	"lnfit/tui"
)

func (s *student) resize(w, h int) {
	_ = s.sess.WindowChange(h, w)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emu.Resize(w, h)
}

// A session renders the dashboard at the student's size; keys act; w shows
// the token instead of writing; two sessions are independent; each is
// logged.
func TestSessions(t *testing.T) {
	c := startClass(t, Config{})
	a := dial(t, c.addr, 100, 30, 100, 30, nil)
	a.waitFor(t, "lnfit · question")
	b := dial(t, c.addr, 80, 24, 80, 24, nil)
	b.waitFor(t, "lnfit · question")
	a.press("o")
	a.waitFor(t, "momentum lr 0.01")
	a.press("w")
	a.waitFor(t, "saving is off here")
	time.Sleep(300 * time.Millisecond)
	if scr := b.screen(); strings.Contains(scr, "momentum") || !strings.Contains(scr, "sgd lr 0.01") {
		t.Fatalf("the second session changed with the first:\n%s", scr)
	}
	for _, l := range strings.Split(b.screen(), "\n") {
		if len([]rune(strings.TrimRight(l, " "))) > 80 {
			t.Fatalf("a line wider than the student's 80 columns: %q", l)
		}
	}
	a.press("q")
	eventually(t, "the session's end logged", func() bool { return strings.Contains(c.log.String(), "msg=disconnected") })
	log := c.log.String()
	for _, want := range []string{"msg=login user=student from=127.0.0.1", "method=none", "msg=connected user=student from=127.0.0.1"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the log does not say %q:\n%s", want, log)
		}
	}
}

// Only the dashboard: a command or a session without a terminal gets one
// line of explanation and is closed; nothing is forwarded.
func TestRefusesCommandsAndNoPTY(t *testing.T) {
	c := startClass(t, Config{})
	conn, err := gossh.Dial("tcp", c.addr, clientConfig("x"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, cs := range []struct{ cmd, want string }{{"ls", "not commands"}, {"", "needs a terminal"}} {
		sess, err := conn.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		var out syncBuffer
		sess.Stderr, sess.Stdout = &out, &out
		if cs.cmd != "" {
			_ = sess.Run(cs.cmd)
		} else {
			_ = sess.Shell()
			_ = sess.Wait()
		}
		if !strings.Contains(out.String(), cs.want) {
			t.Errorf("%q: %q", cs.cmd, out.String())
		}
		sess.Close()
	}
	if _, err := conn.Dial("tcp", "127.0.0.1:1"); err == nil {
		t.Fatal("port forwarding was allowed")
	}
	if _, err := conn.Listen("tcp", "127.0.0.1:0"); err == nil {
		t.Fatal("remote forwarding was allowed")
	}
}

// A class code is asked for, and only the right one lets a student in.
func TestClassCode(t *testing.T) {
	c := startClass(t, Config{ClassCode: "owl"})
	try := func(code string) error {
		conn, err := gossh.Dial("tcp", c.addr, clientConfig("s", codeAuth(code)))
		if err == nil {
			conn.Close()
		}
		return err
	}
	if err := try("cat"); err == nil {
		t.Fatal("a wrong class code was accepted")
	}
	if err := try("owl"); err != nil {
		t.Fatalf("the class code was refused: %v", err)
	}
}

// The class is full at MaxSessions, and says so.
func TestFull(t *testing.T) {
	c := startClass(t, Config{MaxSessions: 1})
	a := dialRaw(t, c.addr, 80, 24, nil)
	a.waitFor(t, "lnfit")
	b := dialRaw(t, c.addr, 80, 24, nil)
	select {
	case <-b.ended:
	case <-time.After(backstop):
		t.Fatal("the second session was not closed")
	}
	if !strings.Contains(b.out.String(), "the class is full (1 sessions)") {
		t.Fatalf("%q", b.out.String())
	}
}

// Broadcast: students see the teacher's run live and cannot change it; f
// forks a copy of their own and F follows again.
func TestBroadcast(t *testing.T) {
	c := startClass(t, Config{Broadcast: true})
	p, _ := presets.Get("answer-batch-50")
	cfg := p.Config
	cfg.Seed = 1
	tr, err := engine.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	keys, teacherKeys := io.Pipe()
	defer teacherKeys.Close()
	ctx, cancel := context.WithCancel(context.Background())
	teacherDone := make(chan struct{})
	defer func() { cancel(); <-teacherDone }()
	go func() {
		defer close(teacherDone)
		_ = tui.RunProgram(ctx, engine.NewSession(tr, p.Name), tui.Options{Hub: c.Hub(), Pool: c.Pool(), Maps: c.Maps()},
			tea.WithInput(keys), tea.WithOutput(io.Discard), tea.WithWindowSize(100, 30), tea.WithoutSignals())
	}()
	s := dial(t, c.addr, 100, 30, 100, 30, nil)
	first := stepOn(s.waitFor(t, "following the teacher"))
	eventually(t, "the follower's step moves with the teacher's", func() bool { return stepOn(s.screen()) > first })
	s.press("o")
	s.waitFor(t, "is the teacher's key")
	if strings.Contains(s.screen(), "momentum lr") {
		t.Fatal("a follower's o changed the teacher's run")
	}
	s.press("f")
	s.waitFor(t, "your own copy from step")
	s.press("o") // adam → sgd, on the student's copy only
	s.waitFor(t, "sgd lr 0.01")
	s.press("F")
	scr := s.waitFor(t, "following the teacher again")
	if strings.Contains(scr, "sgd lr 0.01") || !strings.Contains(scr, "adam lr") {
		t.Fatalf("after F the follower does not show the teacher's run:\n%s", scr)
	}
}

// Faults: an abrupt disconnect, garbage bytes, a window-change storm and a
// client that never reads leave the server serving everyone else; 500
// quick connections from one address are cut before the handshake.
func TestFaults(t *testing.T) {
	c := startClass(t, Config{})
	healthy := dial(t, c.addr, 90, 28, 90, 28, nil)
	healthy.waitFor(t, "lnfit")
	healthy.press(">>>>>>") // off the ramp, to 1000 steps a frame: its step moves every frame

	abrupt := dialRaw(t, c.addr, 80, 24, nil)
	abrupt.waitFor(t, "lnfit")
	_ = abrupt.conn.Close() // mid-frame, without a goodbye

	garbage := dial(t, c.addr, 80, 24, 80, 24, nil)
	garbage.waitFor(t, "lnfit")
	rng := rand.New(rand.NewPCG(1, 2))
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(rng.IntN(256))
		if junk[i] == 'q' || junk[i] == 3 { // not a quit
			junk[i] = 'x'
		}
	}
	garbage.press(string(junk))

	storm := dial(t, c.addr, 80, 24, 80, 24, nil)
	storm.waitFor(t, "lnfit")
	for range 500 {
		storm.resize(60+rng.IntN(100), 16+rng.IntN(40))
	}
	time.Sleep(500 * time.Millisecond) // the storm is over; the window settles
	storm.resize(100, 30)

	mute, err := gossh.Dial("tcp", c.addr, clientConfig("mute")) // never reads: its output backs up
	if err != nil {
		t.Fatal(err)
	}
	defer mute.Close()
	ms, _ := mute.NewSession()
	_ = ms.RequestPty("xterm-256color", 50, 200, gossh.TerminalModes{})
	_, _ = ms.StdoutPipe()
	_ = ms.Shell()

	before := stepOn(healthy.screen())
	eventually(t, "the healthy session's step moves", func() bool { return stepOn(healthy.screen()) > before })
	garbage.waitFor(t, "lnfit")
	storm.waitFor(t, "lnfit · question") // redrawn whole at its last size

	refused := c.refusals.Load()
	flood := time.Now()
	for range 500 {
		conn, err := net.DialTimeout("tcp", c.addr, 10*time.Second)
		if err != nil {
			continue
		}
		conn.Close()
	}
	// The limiter lets through a burst and then ConnRate a second.
	allowed := float64(c.Limits().ConnBurst) + c.Limits().ConnRate*time.Since(flood).Seconds() + 5
	eventually(t, "the flood refused beyond the limiter's allowance", func() bool { return float64(500-(c.refusals.Load()-refused)) <= allowed })
	after := stepOn(healthy.screen())
	eventually(t, "the healthy session's step moves after the flood", func() bool { return stepOn(healthy.screen()) > after })
}
