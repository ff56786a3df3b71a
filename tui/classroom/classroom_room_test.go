package classroom

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/vt"

	"lnfit/engine"
	"lnfit/presets"
	"lnfit/tui"
)

// teacherScreen runs the teacher's dashboard on c's hub with an emulator
// for a screen; keys go to it through the returned writer.
func teacherScreen(t *testing.T, c *class) (*student, io.Writer) {
	t.Helper()
	p, _ := presets.Get("answer-batch-50")
	cfg := p.Config
	cfg.Seed = 1
	tr, err := engine.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	screen := &student{emu: vt.NewEmulator(100, 30), ended: make(chan error, 1)}
	go func() { _, _ = io.Copy(io.Discard, screen.emu) }() // the emulator's replies to queries: nobody asks
	keys, teacherKeys := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() { cancel(); teacherKeys.Close(); <-done })
	go func() {
		defer close(done)
		_ = tui.RunProgram(ctx, engine.NewSession(tr, p.Name),
			tui.Options{Hub: c.Hub(), Pool: c.Pool(), Maps: c.Maps(), Address: "ssh -p 2323 THIS-MACHINE", ClassCode: "owl"},
			tea.WithInput(keys), tea.WithOutput(crlf{lockedWriter{screen}}), tea.WithWindowSize(100, 30), tea.WithoutSignals(),
			tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	}()
	return screen, teacherKeys
}

// Three scripted students over real SSH: ana forks and changes the
// optimizer, bo forks and changes the init, cy follows. The teacher's class
// room lists them by their SSH names with what each changed; the teacher
// shows ana's fork to cy (cy's header says whose), esc gives cy the
// teacher's run again, X ends cy's session, and q asks before ending the
// class for the two left.
func TestClassRoomOverSSH(t *testing.T) {
	ch, err := tui.ParseChallenge("mse<10 max 1000000") // met at a fork's first frame: the column fills
	if err != nil {
		t.Fatal(err)
	}
	c := startClass(t, Config{Broadcast: true, Challenge: &ch})
	teacher, keys := teacherScreen(t, c)
	teacher.waitFor(t, "students: ssh -p 2323 THIS-MACHINE · class code owl")
	ana := dial(t, c.addr, 100, 30, 100, 30, clientConfig("ana"))
	ana.waitFor(t, "following the teacher")
	bo := dial(t, c.addr, 100, 30, 100, 30, clientConfig("bo"))
	bo.waitFor(t, "following the teacher")
	cy := dial(t, c.addr, 100, 30, 100, 30, clientConfig("cy"))
	cy.waitFor(t, "following the teacher")
	ana.press("f")
	ana.waitFor(t, "your own copy from step")
	ana.press("o") // adam → sgd
	ana.waitFor(t, "sgd lr")
	bo.press("f")
	bo.waitFor(t, "your own copy from step")
	bo.press("i")
	bo.waitFor(t, "init xavier")

	press := func(k string) { _, _ = keys.Write([]byte(k)) }
	press("k")
	scr := teacher.waitFor(t, "3 sessions")
	for _, want := range []string{"ana", "bo", "cy", "127.0.0.1", "follows", "challenge: mse<10 within 1,000,000 steps"} {
		if !strings.Contains(scr, want) {
			t.Fatalf("the class room lacks %q:\n%s", want, scr)
		}
	}
	teacher.waitFor(t, "optimizer → sgd")
	teacher.waitFor(t, "init → xavier")

	press("\r") // the cursor starts on ana, the first to join
	cy.waitFor(t, "ana's fork")
	teacher.waitFor(t, "showing ana's fork")
	press("\x1b")
	eventually(t, "cy sees the teacher's run again", func() bool {
		s := cy.screen()
		return !strings.Contains(s, "ana's fork") && strings.Contains(s, "adam lr")
	})

	press("\x1b[B")
	press("\x1b[B") // cy
	teacher.waitFor(t, "▸cy")
	press("X")
	select {
	case <-cy.ended:
	case <-time.After(backstop):
		t.Fatalf("X did not end cy's session:\n%s", cy.screen())
	}
	teacher.waitFor(t, "2 sessions")
	eventually(t, "the end logged", func() bool { return strings.Contains(c.log.String(), `msg="ended by the teacher" user=cy`) })

	press("q")
	teacher.waitFor(t, "end the class for 2 students? q again / esc")
	press("\x1b")
	teacher.waitFor(t, "the class goes on")
}

// crlf is a terminal's output post-processing (onlcr), which a pipe lacks.
type crlf struct{ w io.Writer }

func (c crlf) Write(p []byte) (int, error) {
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
