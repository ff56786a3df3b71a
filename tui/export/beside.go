package export

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"

	"lnfit/engine"
)

// Files is what one dashboard's export key has written: a second press
// may replace those files (if nobody changed them since) and nothing else,
// the rule the save key w follows. Safe for use from several goroutines.
type Files struct {
	mu      sync.Mutex
	targets map[string]*Target // by the path asked for
}

// NewFiles returns an empty record.
func NewFiles() *Files { return &Files{targets: map[string]*Target{}} }

// BesideNames are the files the export key writes for savePath
// "DIR/NAME.json": DIR/NAME-history.csv, DIR/NAME-curve.csv and DIR/NAME-plot.svg.
func BesideNames(savePath string) (history, curve, plot string) {
	base := strings.TrimSuffix(savePath, filepath.Ext(savePath))
	return base + "-history.csv", base + "-curve.csv", base + "-plot.svg"
}

// Beside writes the session's loss history, curve and plot beside
// savePath (the file w would save the network to), named by BesideNames.
// It must be called where the session is driven (the dashboard's Update);
// WriteBeside does the same from a Run captured there, on any goroutine.
func (f *Files) Beside(s *engine.Session, savePath string) ([]string, error) {
	return f.WriteBeside(Capture(s, false), savePath)
}

// WriteBeside writes the three files from r. Where a path holds a file
// this Files did not write (or one it wrote that changed since), that file
// is kept and this one goes to a fresh name (NAME-history-1.csv), which
// later presses then reuse. It returns the paths written; a failed file
// is left out and its error joined into the error.
func (f *Files) WriteBeside(r Run, savePath string) ([]string, error) {
	if savePath == "" || savePath == "-" {
		return nil, errors.New("no save path to write beside (writing is off here)")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	h, c, p := BesideNames(savePath)
	jobs := []struct {
		path, what string
		kind       Kind
		write      func(io.Writer) error
	}{
		{h, "history", KindHistory, func(w io.Writer) error { return WriteHistoryCSV(w, r) }},
		{c, "curve", KindCurve, func(w io.Writer) error { return WriteCurveCSV(w, r) }},
		{p, "plot", KindPlot, func(w io.Writer) error { return WritePlot(w, r, "svg") }},
	}
	var written []string
	var errs []error
	for _, j := range jobs {
		t := f.targets[j.path]
		if t == nil { // never written by us: whatever is there is someone else's
			t = &Target{Path: j.path, Kind: j.kind}
			f.targets[j.path] = t
		}
		got, err := t.Write(j.write)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s not written: %v", j.what, err))
			continue
		}
		if got != t.Path { // a fresh name: from now on that one is ours
			t.Path = got
			if t.seen, err = engine.StatFile(got); err != nil {
				errs = append(errs, err)
			}
		}
		written = append(written, got)
	}
	return written, errors.Join(errs...)
}

// Command is the one line a remote dashboard (over SSH or the web) shows
// instead of writing on the server: the same setup trained headless for the
// same number of steps, writing the three files on the user's own machine.
// It starts from the setup as it is now (its config token), so keys pressed
// during the run — a race begun midway, a rate changed — are not in it.
func Command(s *engine.Session) string {
	return fmt.Sprintf("lnfit --headless --config %s --steps %d --history lnfit-history.csv --curve lnfit-curve.csv --plot lnfit-plot.svg",
		s.Setup().Token(), s.Step())
}
