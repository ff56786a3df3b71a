// Package export writes a run out of lnfit: its loss history and its curve
// as data (CSV or JSON), and a figure of both (SVG or PNG). The command's
// flags (--history, --curve, --plot) and the dashboard's export key both
// come here; the engine knows nothing of these files.
//
// Every file follows the rules the network's save follows: lnfit replaces
// only a regular file it wrote itself (recognised by its content), and only
// if that file is still what was seen when it looked; anything else at the
// path is kept and the new file goes to a fresh name beside it.
package export

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"

	"lnfit/engine"
)

// Kind is what a file holds; it decides how a file at the path is
// recognised as lnfit's own.
type Kind int

const (
	KindHistory Kind = iota // --history: CSV or JSON
	KindCurve               // --curve: CSV
	KindPlot                // --plot: SVG or PNG
	KindCast                // --record: asciicast v2
)

var kindNames = [...]string{"loss history", "curve", "plot", "recording"}

func (k Kind) String() string { return kindNames[k] }

// CastMark is in the header line of every recording lnfit writes: its
// title starts with "lnfit".
const CastMark = `"title":"lnfit`

// sniffBytes is how much of a file is read to recognise it: every marker
// lnfit writes sits in its first few hundred bytes.
const sniffBytes = 4096

// Target is a path checked before the run: nothing there, or a regular file
// lnfit wrote, as it was when looked at.
type Target struct {
	Path string
	Kind Kind
	seen engine.FileState
}

// Check looks at path before anything is trained, so a run never ends on a
// file it may not write. It refuses a path that holds anything but a
// regular file, or a regular file lnfit did not write.
func Check(path string, k Kind) (Target, error) {
	t := Target{Path: path, Kind: k}
	if path == "" {
		return t, errors.New("needs a file name")
	}
	if dir := filepath.Dir(path); dir != "." {
		fi, err := os.Stat(dir)
		switch {
		case err != nil:
			return t, fmt.Errorf("%s: no such directory to write into", engine.EscapeText(dir))
		case !fi.IsDir():
			return t, fmt.Errorf("%s is not a directory", engine.EscapeText(dir))
		}
	}
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return t, nil
	}
	if err != nil {
		return t, err
	}
	if !fi.Mode().IsRegular() {
		return t, fmt.Errorf("%s is %s, not a regular file; not writing there", engine.EscapeText(path), fileKind(fi.Mode()))
	}
	head, err := readHead(path)
	if err != nil {
		return t, err
	}
	if !Ours(head, k) {
		return t, fmt.Errorf("%s exists and is not a %s lnfit wrote; not overwriting it", engine.EscapeText(path), k)
	}
	t.seen, err = engine.StatFile(path)
	return t, err
}

// Write writes the file through a temporary file beside it. It replaces
// what is at the path only if that is still what Check (or an earlier
// Write) saw; otherwise that file is kept and this one goes to NAME-1.EXT,
// -2, … created exclusively. It returns the path written.
func (t *Target) Write(write func(io.Writer) error) (string, error) {
	p, err := t.Begin()
	if err != nil {
		return "", err
	}
	if err := write(p.File); err != nil {
		p.Abandon()
		return "", err
	}
	return p.Finish()
}

// Pending is a file being written (a recording streams into one for as
// long as the dashboard runs); Finish puts it in place by Write's rule.
type Pending struct {
	File *os.File
	t    *Target
}

// Begin creates the temporary file beside the target. It is made with
// mode 0666 less the umask, as any file a user writes is (os.CreateTemp's
// 0600 would hide a figure meant to be shared).
func (t *Target) Begin() (*Pending, error) {
	for range 100 {
		name := filepath.Join(filepath.Dir(t.Path), fmt.Sprintf(".%s.tmp-%d", filepath.Base(t.Path), rand.Uint64()))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return &Pending{File: f, t: t}, nil
	}
	return nil, fmt.Errorf("no free temporary name beside %s", engine.EscapeText(t.Path))
}

// Finish syncs and closes the file and places it; the temporary name is
// gone afterwards, whatever happened.
func (p *Pending) Finish() (string, error) {
	name := p.File.Name()
	defer os.Remove(name) // after a rename or a link it is gone or a second name
	err := p.File.Sync()
	if cerr := p.File.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return p.t.place(name)
}

// Abandon removes the unfinished file.
func (p *Pending) Abandon() {
	p.File.Close()
	os.Remove(p.File.Name())
}

// place puts the finished temporary file at the target's path or beside it.
func (t *Target) place(tmp string) (string, error) {
	now, err := engine.StatFile(t.Path)
	if err != nil {
		return "", err
	}
	target := t.Path
	if now.Exists && now.Same(t.seen) {
		if err := os.Rename(tmp, t.Path); err != nil {
			return "", err
		}
	} else if target, err = engine.LinkFresh(tmp, t.Path, now.Exists); err != nil {
		return "", err
	}
	if target == t.Path { // a later Write may replace what this one wrote
		t.seen, err = engine.StatFile(target)
	}
	return target, err
}

// readHead reads the first bytes of a regular file without blocking.
func readHead(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, sniffBytes)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:n], nil
}

// Ours reports whether a file's first bytes are those of a file of kind k
// that lnfit writes. An empty file counts as nobody's.
func Ours(head []byte, k Kind) bool {
	switch k {
	case KindHistory:
		return bytes.HasPrefix(head, []byte(historyHeader+"\n")) || bytes.HasPrefix(head, []byte(historyHeaderRace+"\n")) ||
			bytes.HasPrefix(head, []byte(historyJSONStart))
	case KindCurve:
		return bytes.HasPrefix(head, []byte("x,target,net"))
	case KindPlot:
		return bytes.Contains(head, []byte(svgMark)) || pngOurs(head)
	case KindCast:
		return bytes.HasPrefix(head, []byte(`{"version":2,`)) && bytes.Contains(firstLine(head), []byte(CastMark))
	}
	return false
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeSymlink != 0:
		return "a symbolic link"
	case m&os.ModeNamedPipe != 0:
		return "a FIFO (named pipe)"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}
