package tui

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine/runner"
)

// deliver is Bubble Tea's event loop for one message: Update, then View.
func deliver(m Model, msg tea.Msg) (Model, tea.Cmd) {
	next, cmd := m.Update(msg)
	m = next.(Model)
	_ = m.View()
	return m, cmd
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

// 18.7: 10,000 l keys then q, with no frame in between (a paste read
// faster than a frame): the screen is drawn once, at most a frame's worth
// of keys are answered, the rest are counted as dropped, and q quits.
func TestKeysNeverQueue(t *testing.T) {
	m := sized(newModel(t, "question", 300), 80, 24)
	_ = m.View()
	drawn := m.in.view.renders
	toggles := 0
	for i := 0; i < 10_000; i++ {
		before := m.plots.logLoss
		var cmd tea.Cmd
		m, cmd = deliver(m, tea.KeyPressMsg{Code: 'l', Text: "l"})
		if isQuit(cmd) {
			t.Fatal("l quit")
		}
		if m.plots.logLoss != before {
			toggles++
		}
	}
	if got := m.in.view.renders - drawn; got != 0 {
		t.Fatalf("10,000 keys with no frame drew the screen %d times, want 0 (each View returns the last drawing)", got)
	}
	if toggles != maxKeysPerFrame || m.in.dropped != 10_000-maxKeysPerFrame || !strings.Contains(m.msg, "keys dropped") {
		t.Fatalf("answered %d keys, dropped %d (%q); want %d answered", toggles, m.in.dropped, m.msg, maxKeysPerFrame)
	}
	_, cmd := deliver(m, tea.KeyPressMsg{Code: 'q', Text: "q"})
	if !isQuit(cmd) {
		t.Fatal("q behind 10,000 keys did not quit at once")
	}
	// With a frame every 100 keys: one drawing per frame, a frame's worth of keys each.
	m = sized(newModel(t, "question", 300), 80, 24)
	_ = m.View()
	drawn = m.in.view.renders
	frames := 0
	for i := 0; i < 10_000; i++ {
		m, _ = deliver(m, tea.KeyPressMsg{Code: 'l', Text: "l"})
		if i%100 == 99 {
			m, _ = deliver(m, frameMsg{})
			frames++
		}
	}
	if got := m.in.view.renders - drawn; got > frames {
		t.Fatalf("%d frames drew the screen %d times", frames, got)
	}
}

// A run of n keys is one batch of steps, taken through the pool.
func TestStepsAreBatchedAndPooled(t *testing.T) {
	pool := runner.NewPool(1)
	// An hour's frame and budget: the 20 queued steps bound the frame, not a
	// slow machine's time (the pool's share is a part of the frame's time).
	m := sized(newModelWith(t, "question", Options{Pool: pool, FrameTime: time.Hour}), 80, 24)
	m.budget = time.Hour
	for i := 0; i < 20; i++ {
		m, _ = deliver(m, tea.KeyPressMsg{Code: 'n', Text: "n"})
	}
	if m.session.Step() != 0 || m.in.steps != 20 {
		t.Fatalf("n keys before the frame: step %d, queued %d", m.session.Step(), m.in.steps)
	}
	m, _ = deliver(m, frameMsg{})
	if m.session.Step() != 20 || pool.Busy() == 0 || !strings.Contains(m.msg, "20 steps") {
		t.Fatalf("after the frame: step %d, pool busy %v, %q", m.session.Step(), pool.Busy(), m.msg)
	}
	m = press(m, "n", "o", "n")
	if m.session.Step() != 22 || m.session.Main().Config().Optimizer != "momentum" {
		t.Fatalf("n o n: step %d, optimizer %s", m.session.Step(), m.session.Main().Config().Optimizer)
	}
}

// A bracketed paste is ignored, and the message line says so.
func TestPasteIsIgnored(t *testing.T) {
	m := sized(newModel(t, "question", 0), 80, 24)
	before := m.session.Setup().Token()
	m, _ = deliver(m, tea.PasteMsg{Content: strings.Repeat("oq", 5000)})
	if m.session.Setup().Token() != before || !strings.Contains(m.msg, "paste of 10000 characters is ignored") {
		t.Fatalf("paste: setup changed %v, %q", m.session.Setup().Token() != before, m.msg)
	}
}

// A 65535×65535 window is drawn at maxWidth×maxHeight, and the filter
// clamps it before Bubble Tea's renderer sees it.
func TestHugeWindowIsClamped(t *testing.T) {
	m := newModel(t, "question", 10)
	msg := Filter(m, tea.WindowSizeMsg{Width: 65535, Height: 65535}).(tea.WindowSizeMsg)
	if msg.Width != maxWidth || msg.Height != maxHeight {
		t.Fatalf("filter: %dx%d", msg.Width, msg.Height)
	}
	m = sized(m, 65535, 65535)
	v := m.render()
	checkFits(t, v, maxWidth, maxHeight)
	if m.width != maxWidth || m.height != maxHeight || len(v) > 4*maxWidth*maxHeight {
		t.Fatalf("drawn at %dx%d, %d bytes", m.width, m.height, len(v))
	}
}

// The real program: 10,000 l keys then q through a pipe. q ends it, and
// the screen was drawn no more often than frames were built.
func TestPasteThenQuitInTheProgram(t *testing.T) {
	m := newModel(t, "question", 300)
	in, w := io.Pipe()
	go func() { w.Write(append(bytes.Repeat([]byte("l"), 10_000), 'q')) }()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a hang's backstop only
	defer cancel()
	p := tea.NewProgram(m, tea.WithInput(in), tea.WithOutput(io.Discard), tea.WithWindowSize(80, 24),
		tea.WithoutSignals(), tea.WithContext(ctx))
	final, err := p.Run()
	if err != nil {
		t.Fatalf("the program: %v (q was not answered)", err)
	}
	f := final.(Model)
	if c := f.in.view; c.renders > c.frames+1 || c.frames > 10_000/maxKeysPerFrame+2 {
		t.Fatalf("10,000 keys: %d frames built, %d screens drawn", c.frames, c.renders)
	}
}

// The gate: within one frame a burst passes gateBytes printable bytes;
// q, Ctrl-C and escape sequences always pass, whole.
func TestGateBoundsABurst(t *testing.T) {
	now := fixedNow
	g := &gate{now: func() time.Time { return now }}
	in := append(bytes.Repeat([]byte("l"), 96_000), []byte("\x1b[Ax\x1b[200~yy\x1b[201~q\x03")...)
	out := append([]byte(nil), in...)
	n := g.filter(out)
	want := string(bytes.Repeat([]byte("l"), gateBytes)) + "\x1b[A\x1b[200~\x1b[201~q\x03"
	if string(out[:n]) != want || g.dropped.Load() != int64(len(in)-len(want)) {
		t.Fatalf("passed %q (%d dropped)", out[:min(n, 80)], g.dropped.Load())
	}
	now = now.Add(frameTime30) // the next frame: a new allowance
	b := []byte("oo")
	if g.filter(b) != 2 {
		t.Fatal("the next frame passes nothing")
	}
	// Through a reader: a read that is dropped whole reads on.
	r := Gate(io.MultiReader(bytes.NewReader(bytes.Repeat([]byte("l"), 9000)), strings.NewReader("q")))
	all, err := io.ReadAll(r)
	if err != nil || !bytes.HasSuffix(all, []byte("q")) || len(all) > 9000/2 {
		t.Fatalf("gated reader: %d bytes, %v", len(all), err)
	}
}

// The real program behind the gate: 96 KB of l then q ends it, and the
// model was handed at most a frame's allowance of keys per frame.
func TestGatedProgramQuitsAfterABurst(t *testing.T) {
	m := newModel(t, "question", 300)
	in, w := io.Pipe()
	go func() { w.Write(append(bytes.Repeat([]byte("l"), 96_000), 'q')) }()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a hang's backstop only
	defer cancel()
	p := tea.NewProgram(m, tea.WithInput(Gate(in)), tea.WithOutput(io.Discard), tea.WithWindowSize(80, 24),
		tea.WithoutSignals(), tea.WithContext(ctx))
	if _, err := p.Run(); err != nil || ctx.Err() != nil {
		t.Fatalf("q behind 96 KB was not answered: %v %v", err, ctx.Err())
	}
}
