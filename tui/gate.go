package tui

import (
	"io"
	"os"
	"sync/atomic"
	"time"
)

// A burst of typed or pasted bytes used to queue in Bubble Tea's input loop
// ahead of q: at ~60 µs a key for its reading, decoding and event loop, 96 KB
// of l kept q waiting 5.6 s even after the dashboard stopped drawing per key.
// The gate reads ahead of Bubble Tea: at most gateBytes printable bytes pass
// a frame, the rest of a burst is dropped before it becomes a key; q,
// control keys (Ctrl-C), escape sequences (arrows, the paste brackets, window
// reports) and UTF-8 always pass, so q is answered within a frame whatever
// came before it.
const gateBytes = 2 * maxKeysPerFrame

// Gate wraps a dashboard's input (a session's SSH channel) in the gate; pass
// it to tea.WithInput. RunProgram gates a local terminal by itself.
func Gate(r io.Reader) io.Reader { return &gated{r: r, g: &gate{now: time.Now}} }

type gated struct {
	r io.Reader
	g *gate
}

func (g *gated) Read(p []byte) (int, error) { return g.g.read(g.r, p) }

// gatedFile is the local terminal, gated: Bubble Tea still sees a terminal
// (raw mode, its cancelable reader on the descriptor), and reads through Read.
type gatedFile struct {
	*os.File
	g *gate
}

func (f gatedFile) Read(p []byte) (int, error) { return f.g.read(f.File, p) }

// gatedStdin is the terminal's input behind the gate, or nil when stdin is
// not a terminal (Bubble Tea then opens the terminal itself).
func gatedStdin() (io.Reader, *gate) {
	if fi, err := os.Stdin.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil, nil
	}
	g := &gate{now: time.Now}
	return gatedFile{os.Stdin, g}, g
}

type gate struct {
	now     func() time.Time
	start   time.Time // this frame's window
	passed  int       // printable bytes passed in it
	seq     int       // inside an escape sequence: 0 no, 1 after ESC, 2 in CSI, 3 in SS3
	dropped atomic.Int64
}

// read reads from r and keeps what may pass; it never returns 0 bytes
// without an error (a burst dropped whole reads on).
func (g *gate) read(r io.Reader, p []byte) (int, error) {
	for {
		n, err := r.Read(p)
		n = g.filter(p[:n])
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// filter keeps b's bytes that pass now, in place, and returns how many.
func (g *gate) filter(b []byte) int {
	if now := g.now(); now.Sub(g.start) >= frameTime30 {
		g.start, g.passed = now, 0
	}
	n := 0
	for _, c := range b {
		keep := true
		switch {
		case g.seq == 1: // ESC then: [ a CSI, O an SS3, anything else ends it (alt+key)
			g.seq = map[byte]int{'[': 2, 'O': 3}[c]
		case g.seq == 2: // CSI: parameters and intermediates, up to a final byte
			if c >= 0x40 && c <= 0x7e {
				g.seq = 0
			}
		case g.seq == 3:
			g.seq = 0
		case c == 0x1b:
			g.seq = 1
		case c == 'q' || c < 0x20 || c >= 0x7f:
		case g.passed >= gateBytes:
			keep = false
			g.dropped.Add(1)
		default:
			g.passed++
		}
		if keep {
			b[n] = c
			n++
		}
	}
	return n
}
