package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/vt"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/tui"
	"lnfit/tui/export"
)

// castEvent is one line after a recording's header.
type castEvent struct {
	t    float64
	kind string
	data string
}

type castHeader struct {
	Version   int    `json:"version"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	Timestamp int64  `json:"timestamp"`
	Title     string `json:"title"`
}

// readCast parses an asciicast v2 file: the header, then [t, kind, data]
// events in time order.
func readCast(t *testing.T, path string) (castHeader, []castEvent) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	var h castHeader
	if !sc.Scan() || json.Unmarshal(sc.Bytes(), &h) != nil || h.Version != 2 {
		t.Fatalf("no asciicast v2 header: %q", sc.Text())
	}
	var evs []castEvent
	last := 0.0
	for sc.Scan() {
		var raw []any
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil || len(raw) != 3 {
			t.Fatalf("event %d is not [time, kind, data]: %q", len(evs)+1, sc.Text())
		}
		e := castEvent{}
		var ok1, ok2, ok3 bool
		e.t, ok1 = raw[0].(float64)
		e.kind, ok2 = raw[1].(string)
		e.data, ok3 = raw[2].(string)
		if !ok1 || !ok2 || !ok3 || e.t < last {
			t.Fatalf("event %d: %q (times must not go back)", len(evs)+1, sc.Text())
		}
		last = e.t
		evs = append(evs, e)
	}
	return h, evs
}

// ticker is a clock that moves 10 ms at every look.
type ticker struct {
	mu  sync.Mutex
	now time.Time
}

func (c *ticker) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(10 * time.Millisecond)
	return c.now
}

func screenLines(s string) []string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// The recording of a real dashboard, replayed into a terminal emulator,
// ends on the dashboard's last frame.
func TestRecordReplaysToTheLastFrame(t *testing.T) {
	const w, h = 100, 30
	path := filepath.Join(t.TempDir(), "run.cast")
	target, err := export.Check(path, export.KindCast)
	if err != nil {
		t.Fatal(err)
	}
	s := sameRun(t, "--preset", "question")
	clock := &ticker{now: time.Unix(1_700_000_000, 0)}
	rec, err := startRecorder(&target, io.Discard, w, h, s.Label(), true, clock.Now) // input from a pipe: Bubble Tea writes bare \n
	if err != nil {
		t.Fatal(err)
	}
	opts := tui.Options{StartPaused: true, Profile: colorprofile.ASCII}
	in, keys := io.Pipe()
	sized := make(chan struct{})
	var once sync.Once
	sizeFirst := func(m tea.Model, msg tea.Msg) tea.Msg { // the keys go after the size, as a person's would
		if _, ok := msg.(tea.WindowSizeMsg); ok {
			once.Do(func() { close(sized) })
		}
		return rec.filter(m, msg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // only a hang reaches it
	defer cancel()
	go func() {
		select {
		case <-sized:
			keys.Write([]byte("nnn"))
			keys.Write([]byte("q"))
		case <-ctx.Done():
		}
	}()
	popts := append(rec.options(), tea.WithFilter(sizeFirst), tea.WithInput(in), tea.WithWindowSize(w, h),
		tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	if err := tui.RunProgram(ctx, s, opts, popts...); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	if !rec.finish(path, &stderr) {
		t.Fatalf("finish: %s", stderr.String())
	}
	head, evs := readCast(t, path)
	if head.Width != w || head.Height != h || !strings.HasPrefix(head.Title, "lnfit · question") {
		t.Fatalf("header %+v", head)
	}
	emu := vt.NewEmulator(w, h)
	go io.Copy(io.Discard, emu) // the terminal's answers to queries
	last := ""
	for _, e := range evs {
		if e.kind != "o" {
			continue
		}
		emu.Write([]byte(e.data))
		if emu.IsAltScreen() {
			last = emu.String()
		}
	}
	if last == "" {
		t.Fatal("the replay never showed the dashboard (no alternate screen)")
	}
	// The same dashboard driven by hand to the same state: its last frame.
	m := tui.New(sameRun(t, "--preset", "question"), opts)
	var model tea.Model = m
	model, _ = model.Update(tea.WindowSizeMsg{Width: w, Height: h})
	var cmd tea.Cmd
	for range 3 {
		var c tea.Cmd
		if model, c = model.Update(tea.KeyPressMsg{Code: 'n', Text: "n"}); c != nil {
			cmd = c
		}
	}
	if cmd != nil { // keys are answered once a frame: the frame that takes the queued steps
		model, _ = model.Update(cmd())
	}
	// The message line says how the n keys were batched ("3 steps", or "one
	// step" when the pipe's reads split them across frames): not the replay's
	// business, so it is left out of the comparison.
	want := withoutStepMessage(screenLines(model.(tui.Model).View().Content))
	got := withoutStepMessage(screenLines(last))
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("the replay's last screen:\n%s\n\nthe dashboard's last frame:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(strings.Join(want, "\n"), "step 3") {
		t.Fatalf("the frame compared is not after three steps:\n%s", strings.Join(want, "\n"))
	}
}

// stepMessage is the message line n leaves: "one step: loss …", "3 steps: loss …".
var stepMessage = regexp.MustCompile(`^\s*(one step|[0-9]+ steps): loss `)

func withoutStepMessage(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if stepMessage.MatchString(l) {
			l = "(the n keys' message)"
		}
		out[i] = l
	}
	return out
}

// captioned is a model that offers its captions, as the recorder asks.
type captioned struct {
	tea.Model
	caps []runner.Caption
}

func (c captioned) Captions() []runner.Caption { return c.caps }

// Markers at captions, a resize event, and output events that are whole
// UTF-8 even when a rune is split between two writes.
func TestRecorderEvents(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.cast")
	target, _ := export.Check(path, export.KindCast)
	var screen bytes.Buffer
	clock := &ticker{now: time.Unix(1_700_000_000, 0)}
	rec, err := startRecorder(&target, &screen, 80, 24, "lesson", false, clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	arrow := []byte("→ step")
	rec.output(arrow[:1]) // the first byte of a three-byte rune
	rec.output(arrow[1:])
	m := captioned{caps: []runner.Caption{{Step: 0, Text: "one"}}}
	rec.filter(m, tea.WindowSizeMsg{Width: 80, Height: 24}) // the same size: no event
	m.caps = append(m.caps, runner.Caption{Step: 5, Text: "two \"quoted\""})
	rec.filter(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	rec.filter(m, nil) // nothing new
	m.caps = m.caps[:1]
	m.caps[0].Text = "again"
	rec.filter(m, nil) // a new lesson: its captions start over
	if !rec.finish(path, io.Discard) {
		t.Fatal("finish failed")
	}
	if screen.String() != "→ step" {
		t.Fatalf("the screen got %q", screen.String())
	}
	_, evs := readCast(t, path)
	var got []string
	for _, e := range evs {
		got = append(got, fmt.Sprintf("%s %q", e.kind, e.data))
	}
	want := []string{`o "→ step"`, `m "one"`, `r "120x40"`, `m "two \"quoted\""`, `m "again"`}
	if strings.Join(got, " | ") != strings.Join(want, " | ") {
		t.Fatalf("events %v\nwant   %v", got, want)
	}
	if _, err := export.Check(path, export.KindCast); err != nil {
		t.Fatalf("lnfit's own recording may be replaced: %v", err)
	}
	os.WriteFile(path, []byte(`{"version": 2, "width": 80, "height": 24}`+"\n"), 0o644)
	if _, err := export.Check(path, export.KindCast); err == nil {
		t.Fatal("someone else's recording would be replaced")
	}
}

// --record through the command: someone else's file is refused before the
// dashboard starts; otherwise the file is there, lnfit's, when it closes.
func TestRecordFlag(t *testing.T) {
	dir := t.TempDir()
	theirs := filepath.Join(dir, "theirs.cast")
	os.WriteFile(theirs, []byte(`{"version": 2, "width": 80, "height": 24}`+"\n"), 0o644)
	started := false
	fake := func(ctx context.Context, s *engine.Session, o tui.Options) error { started = true; return nil }
	var errb bytes.Buffer
	env := environment{stdout: &bytes.Buffer{}, stderr: &errb, stdoutTTY: true, dashboard: fake}
	if code := run(context.Background(), []string{"--record", theirs}, env); code != exitUsage || started ||
		!strings.Contains(errb.String(), "is not a recording lnfit wrote") {
		t.Fatalf("exit %d, dashboard started %v, stderr %q", code, started, errb.String())
	}
	ours := filepath.Join(dir, "ours.cast")
	errb.Reset()
	if code := run(context.Background(), []string{"--record", ours}, env); code != exitOK || !started {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if h, _ := readCast(t, ours); h.Width != 80 || h.Height != 24 || h.Title != "lnfit · question" {
		t.Fatalf("header %+v (not a terminal: 80×24)", h)
	}
}

// A cooked terminal's \n is \r\n on the screen; one already after \r (even
// in the write before) is not doubled.
func TestRecorderCRLF(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.cast")
	target, _ := export.Check(path, export.KindCast)
	clock := &ticker{now: time.Unix(1_700_000_000, 0)}
	rec, err := startRecorder(&target, io.Discard, 80, 24, "x", true, clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"a\nb\r", "\nc\r\n", "\n"} {
		rec.output([]byte(w))
	}
	rec.finish(path, io.Discard)
	_, evs := readCast(t, path)
	var all string
	for _, e := range evs {
		all += e.data
	}
	if all != "a\r\nb\r\nc\r\n\r\n" {
		t.Fatalf("recorded %q", all)
	}
}
