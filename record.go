package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"lnfit/tui"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/tui/export"
)

// maxCastBytes bounds a recording: at the dashboard's usual rate of output
// an hour is far below it. Past it the recording stops (the file is kept).
const maxCastBytes = 1 << 30

// captionSource is what the recorder asks the dashboard's model for, to put
// a marker at each lesson caption: every caption shown so far, oldest first.
// tui.Model does not offer it yet; until it does, a recording has no markers.
type captionSource interface {
	Captions() []runner.Caption
}

// recorder writes the dashboard's own output to an asciicast v2 file as it
// goes: a header with the terminal's size, then [time, "o", text] events,
// ["m", caption] markers and ["r", "WxH"] resizes. It never fails the
// dashboard: a write error stops the recording and is reported at the end.
type recorder struct {
	mu      sync.Mutex
	screen  io.Writer // the real terminal
	pending *export.Pending
	buf     *bufio.Writer
	start   time.Time
	now     func() time.Time
	w, h    int
	carry   []byte // the start of a UTF-8 sequence split between writes
	crlf    bool   // the terminal turns \n into \r\n (see startRecorder)
	lastCR  bool   // the last byte recorded was \r
	written int64
	marked  int
	err     error
	full    bool
}

// startRecorder writes the header into a file beside the target; screen is
// where the output really goes. crlf says the terminal maps each \n to
// \r\n, as a terminal left in cooked mode does: Bubble Tea leaves it so
// when its input is not a terminal, and then writes bare \n. A recording
// holds what the terminal shows, so it gets the \r too.
func startRecorder(t *export.Target, screen io.Writer, w, h int, label string, crlf bool, now func() time.Time) (*recorder, error) {
	p, err := t.Begin()
	if err != nil {
		return nil, err
	}
	r := &recorder{screen: screen, pending: p, buf: bufio.NewWriterSize(p.File, 64<<10), now: now, start: now(), w: w, h: h, crlf: crlf}
	head := struct {
		Version   int               `json:"version"`
		Width     int               `json:"width"`
		Height    int               `json:"height"`
		Timestamp int64             `json:"timestamp"`
		Title     string            `json:"title"`
		Env       map[string]string `json:"env"`
	}{2, w, h, r.start.Unix(), "lnfit · " + label, map[string]string{"TERM": os.Getenv("TERM"), "SHELL": os.Getenv("SHELL")}}
	line, err := json.Marshal(head)
	if err != nil {
		p.Abandon()
		return nil, err
	}
	if _, err := r.buf.Write(append(line, '\n')); err != nil {
		p.Abandon()
		return nil, err
	}
	return r, nil
}

// event appends one event; the caller holds mu.
func (r *recorder) event(kind, data string) {
	if r.err != nil || r.full {
		return
	}
	b := make([]byte, 0, len(data)+32)
	b = append(b, '[')
	b = strconv.AppendFloat(b, r.now().Sub(r.start).Seconds(), 'f', 6, 64)
	b = append(b, `, "`...)
	b = append(b, kind...)
	b = append(b, `", `...)
	text, _ := json.Marshal(data) // a string always encodes
	b = append(b, text...)
	b = append(b, "]\n"...)
	if r.written+int64(len(b)) > maxCastBytes {
		r.full = true
		return
	}
	r.written += int64(len(b))
	if _, err := r.buf.Write(b); err != nil {
		r.err = err
	}
}

// output records what the dashboard writes, then passes it to the screen.
// A rune split between two writes is held back, so every event is whole
// UTF-8 text as asciicast wants.
func (r *recorder) output(p []byte) (int, error) {
	r.mu.Lock()
	data := append(r.carry, p...)
	cut := len(data)
	for i := len(data) - 1; i >= 0 && i >= len(data)-utf8.UTFMax; i-- {
		if utf8.RuneStart(data[i]) {
			if !utf8.FullRune(data[i:]) {
				cut = i
			}
			break
		}
	}
	r.carry = append([]byte(nil), data[cut:]...)
	if cut > 0 {
		r.event("o", r.mapNL(data[:cut]))
	}
	r.mu.Unlock()
	return r.screen.Write(p)
}

// mapNL turns each bare \n into \r\n when the terminal would.
func (r *recorder) mapNL(b []byte) string {
	if !r.crlf {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 16)
	for _, c := range b {
		if c == '\n' && !r.lastCR {
			sb.WriteByte('\r')
		}
		sb.WriteByte(c)
		r.lastCR = c == '\r'
	}
	return sb.String()
}

// filter sees every message before the dashboard does: it records resizes
// and marks captions the model has shown since the last message.
func (r *recorder) filter(m tea.Model, msg tea.Msg) tea.Msg {
	msg = tui.Filter(m, msg) // a program has one filter: keep the dashboard's size clamp
	r.mu.Lock()
	defer r.mu.Unlock()
	if ws, ok := msg.(tea.WindowSizeMsg); ok && (ws.Width != r.w || ws.Height != r.h) {
		r.w, r.h = ws.Width, ws.Height
		r.event("r", fmt.Sprintf("%dx%d", ws.Width, ws.Height))
	}
	if cs, ok := m.(captionSource); ok {
		caps := cs.Captions()
		if len(caps) < r.marked { // a new lesson began
			r.marked = 0
		}
		for ; r.marked < len(caps); r.marked++ {
			r.event("m", caps[r.marked].Text)
		}
	}
	return msg
}

// options are the program options that record: the output goes through
// the recorder (still a terminal, when it is one) and messages through the
// filter.
func (r *recorder) options() []tea.ProgramOption {
	var out io.Writer = teeWriter{r}
	if f, ok := r.screen.(term.File); ok {
		out = ttyTee{f, r}
	}
	return []tea.ProgramOption{tea.WithOutput(out), tea.WithFilter(r.filter)}
}

type teeWriter struct{ r *recorder }

func (t teeWriter) Write(p []byte) (int, error) { return t.r.output(p) }

// ttyTee is the terminal with its writes recorded: Bubble Tea still finds
// a terminal there (raw mode, size, colours).
type ttyTee struct {
	term.File
	r *recorder
}

func (t ttyTee) Write(p []byte) (int, error) { return t.r.output(p) }

var _ term.File = ttyTee{} // Bubble Tea looks for exactly this

// finish closes the recording and puts it in place. It returns false after
// a write error (said on stderr): the dashboard ran, the file is not whole.
func (r *recorder) finish(path string, stderr io.Writer) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.carry) > 0 { // a rune cut by the end: kept as what it is
		r.event("o", string(r.carry))
		r.carry = nil
	}
	err := r.err
	if err == nil {
		err = r.buf.Flush()
	}
	if err != nil {
		r.pending.Abandon()
		fmt.Fprintf(stderr, "lnfit: --record %s: %v (the recording is not written)\n", engine.EscapeText(path), err)
		return false
	}
	got, err := r.pending.Finish()
	if err != nil {
		fmt.Fprintf(stderr, "lnfit: --record %s: %v\n", engine.EscapeText(path), err)
		return false
	}
	if got != path {
		fmt.Fprintf(stderr, "lnfit: --record: %s changed meanwhile (someone else's file is there now), so it was kept and the recording went to %s\n",
			engine.EscapeText(path), engine.EscapeText(got))
	}
	if r.full {
		fmt.Fprintf(stderr, "lnfit: --record: the recording stopped at %s bytes; the file has what came before\n", engine.Commas(maxCastBytes))
	}
	return true
}
