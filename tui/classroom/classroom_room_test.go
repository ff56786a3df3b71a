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
	gossh "golang.org/x/crypto/ssh"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/presets"
	"lnfit/tui"
)

// teacherScreen runs the teacher's dashboard on c's hub with an emulator
// for a screen; keys go to it through the returned writer. The teacher's
// run is the question's, collapsed at step 300 and paused, playing lesson
// (nil: none).
func teacherScreen(t *testing.T, c *class, lesson *runner.Lesson) (*student, io.Writer) {
	t.Helper()
	p, _ := presets.Get("question")
	cfg := p.Config
	cfg.Seed = 1
	tr, err := engine.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tr.Run(300)
	screen := &student{emu: vt.NewEmulator(100, 30), ended: make(chan error, 1)}
	go func() { _, _ = io.Copy(io.Discard, screen.emu) }() // the emulator's replies to queries: nobody asks
	keys, teacherKeys := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() { cancel(); teacherKeys.Close(); <-done })
	go func() {
		defer close(done)
		_ = tui.RunProgram(ctx, engine.NewSession(tr, p.Name),
			tui.Options{Hub: c.Hub(), Pool: c.Pool(), Maps: c.Maps(), Address: "ssh -p 2323 THIS-MACHINE", ClassCode: "owl",
				StartPaused: true, Lesson: lesson},
			tea.WithInput(keys), tea.WithOutput(crlf{lockedWriter{screen}}), tea.WithWindowSize(100, 30), tea.WithoutSignals(),
			tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	}()
	return screen, teacherKeys
}

// named answers the class code, then the name question with name ("":
// enter, keeping the SSH user name).
func named(code, name string) gossh.AuthMethod {
	return gossh.KeyboardInteractive(func(_, _ string, qs []string, _ []bool) ([]string, error) {
		if len(qs) == 1 && strings.HasPrefix(qs[0], "your name") {
			return []string{name}, nil
		}
		return []string{code}, nil
	})
}

// Three scripted students over real SSH, the teacher's lesson racing the
// question's challenge (make the collapsed net learn): ana types her name
// at the class code, forks (paused: the race's clock waits for her change)
// and changes the init, and meets it; bo forks and changes the optimizer,
// which cannot revive a dead net; cy follows.
// The teacher's class room lists them by name with what each changed,
// ranks ana first; the teacher shows ana's fork to cy (cy's header says
// whose), esc gives cy the teacher's run again, X ends bo's session, and q
// asks before ending the class for the two left.
func TestClassRoomOverSSH(t *testing.T) {
	lesson, err := runner.ParseLesson("race", "challenge mse<0.5 max 1000000\nsay fork and make the net learn, changing one thing\nwait")
	if err != nil {
		t.Fatal(err)
	}
	c := startClass(t, Config{Broadcast: true, ClassCode: "owl"})
	teacher, keys := teacherScreen(t, c, lesson)
	teacher.waitFor(t, "students: ssh -p 2323 THIS-MACHINE · class code owl")
	ana := dial(t, c.addr, 100, 30, 100, 30, clientConfig("student1", named("owl", "Ana  Lovelace\x1b[2J\a")))
	ana.waitFor(t, "following the teacher")
	bo := dial(t, c.addr, 100, 30, 100, 30, clientConfig("bo", named("owl", "")))
	bo.waitFor(t, "following the teacher")
	cy := dial(t, c.addr, 100, 30, 100, 30, clientConfig("cy", named("owl", "")))
	cy.waitFor(t, "following the teacher")
	ana.press("f")
	ana.waitFor(t, "paused for the challenge (mse<0.5 within 1,000,000 steps of the fork)") // her clock waits for her change
	ana.press("i")                                                                          // uniform → normal: a net that learns
	ana.waitFor(t, "init normal")
	heard := ana.watchFor("you met the challenge (mse<0.5) after") // her message line, for a few seconds
	ana.press(" ")
	bo.press("f")
	bo.waitFor(t, "paused for the challenge")
	bo.press("o") // sgd → momentum: the dead units stay dead
	bo.waitFor(t, "momentum lr")
	bo.press(" ")

	press := func(k string) { _, _ = keys.Write([]byte(k)) }
	press("k")
	scr := teacher.waitFor(t, "3 sessions")
	for _, want := range []string{"Ana Love", "bo", "cy", "follows", "challenge: mse<0.5 within 1,000,000 steps", "sorted by met"} {
		if !strings.Contains(scr, want) {
			t.Fatalf("the class room lacks %q:\n%s", want, scr)
		}
	}
	teacher.waitFor(t, "init → normal")
	teacher.waitFor(t, "optimizer → momentum")
	scr = teacher.waitFor(t, "1 met the challenge")
	if rows := classRows(scr); len(rows) != 3 || !strings.HasPrefix(rows[0], "▸Ana Love") || strings.Contains(rows[0], " -  ") {
		t.Fatalf("ana, who met it, is not ranked first:\n%s", scr)
	}
	if !<-heard {
		t.Errorf("ana was not told she met the challenge:\n%s", ana.screen())
	}
	if !strings.Contains(c.log.String(), `detail="name \"Ana Lovelace[2J\""`) {
		t.Errorf("the login log lacks the typed name:\n%s", c.log.String())
	}

	press("\r") // the cursor starts on the first row: ana
	cy.waitFor(t, "Ana Lovelace[2J's fork")
	teacher.waitFor(t, "showing Ana Lovelace[2J's fork")
	press("\x1b")
	eventually(t, "cy sees the teacher's run again", func() bool {
		s := cy.screen()
		return !strings.Contains(s, "'s fork") && strings.Contains(s, "sgd lr")
	})

	press("\x1b[B") // bo
	teacher.waitFor(t, "▸bo")
	press("X")
	teacher.waitFor(t, "end bo's session? X again / esc") // X asks first
	press("X")
	select {
	case <-bo.ended:
	case <-time.After(backstop):
		t.Fatalf("X did not end bo's session:\n%s", bo.screen())
	}
	bo.waitFor(t, "lnfit: the teacher ended this session") // left on bo's terminal after the dashboard
	teacher.waitFor(t, "2 sessions")
	eventually(t, "the end logged", func() bool { return strings.Contains(c.log.String(), `msg="ended by the teacher" user=bo`) })

	press("q")
	teacher.waitFor(t, "end the class for 2 students? q again / esc")
	press("\x1b")
	teacher.waitFor(t, "the class goes on")
}

// classRows are the class room's rows on a screen: the lines after the
// column heads, up to the first blank one.
func classRows(scr string) []string {
	var rows []string
	in := false
	for _, l := range strings.Split(scr, "\n") {
		switch {
		case strings.Contains(l, "mse≥.01  verdict"):
			in = true
		case in && strings.TrimSpace(l) == "":
			return rows
		case in:
			rows = append(rows, strings.TrimRight(l, " "))
		}
	}
	return rows
}

// crlf is a terminal's output post-processing (onlcr), which a pipe lacks.
type crlf struct{ w io.Writer }

func (c crlf) Write(p []byte) (int, error) {
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// A wrong class code is said when the client asks again, not just a bare
// "class code:" once more; the right code then gets in.
func TestWrongCodeIsSaid(t *testing.T) {
	c := startClass(t, Config{ClassCode: "owl", Limits: Limits{FailDelay: time.Millisecond}})
	var said []string
	answers := []string{"ow1", "owl"}
	ask := gossh.RetryableAuthMethod(gossh.KeyboardInteractive(func(_, instruction string, qs []string, _ []bool) ([]string, error) {
		if len(qs) != 1 || qs[0] != "class code: " {
			return make([]string, len(qs)), nil // the name: enter
		}
		said = append(said, instruction)
		a := answers[0]
		answers = answers[1:]
		return []string{a}, nil
	}), 3)
	conn, err := gossh.Dial("tcp", c.addr, clientConfig("ana", ask))
	if err != nil {
		t.Fatalf("the right code at the second try was refused: %v (asked with %q)", err, said)
	}
	conn.Close()
	if len(said) != 2 || strings.Contains(said[0], "wrong") || !strings.Contains(said[1], "wrong class code: try again") {
		t.Fatalf("the prompts said %q", said)
	}
}
