package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/tui/export"
)

// exporter writes --history, --curve (and its caption curves) and --plot
// for one run. Its targets are checked before the run, so a run never
// trains only to find it may not write; the files are written at its end.
type exporter struct {
	o        exportOptions
	targets  map[string]*export.Target // by flag name
	captions []*export.Target          // --curve-every caption: one per caption the lesson can show
	shown    int                       // captions whose curve is written
	failed   bool
	stderr   io.Writer // a failed write is one line here
}

// newExporter checks every path the run will write. A lesson's caption
// curves are checked too: the lesson says how many captions it can show.
func newExporter(e exportOptions, lesson *runner.Lesson, stderr io.Writer) (*exporter, error) {
	x := &exporter{o: e, targets: map[string]*export.Target{}, stderr: stderr}
	kinds := map[string]export.Kind{"history": export.KindHistory, "curve": export.KindCurve, "plot": export.KindPlot}
	for _, name := range []string{"history", "curve", "plot"} {
		if p := e.path(name); p != "" {
			t, err := export.Check(p, kinds[name])
			if err != nil {
				return nil, usagef("--%s: %v", name, err)
			}
			x.targets[name] = &t
		}
	}
	if e.curveEvery == "caption" && lesson != nil {
		for i := range sayCount(lesson) {
			p := captionCurvePath(e.curve, i+1)
			t, err := export.Check(p, export.KindCurve)
			if err != nil {
				return nil, usagef("--curve-every caption: %v", err)
			}
			x.captions = append(x.captions, &t)
		}
	}
	return x, nil
}

func sayCount(l *runner.Lesson) int {
	n := 0
	for _, c := range l.Commands {
		if c.Op == "say" {
			n++
		}
	}
	return n
}

// captionCurvePath names the curve of the n-th caption: fit.csv → fit-01.csv.
func captionCurvePath(curve string, n int) string {
	ext := filepath.Ext(curve)
	return fmt.Sprintf("%s-%02d%s", strings.TrimSuffix(curve, ext), n, ext)
}

// budget is how far the headless loop may advance next. For caption
// curves it first runs the lesson's instant commands itself (Settle, which
// never trains) and writes the curve of each caption they show: the net at
// the caption's own step. Then Advance may take one step only, so it
// returns as soon as a training command ends, before the commands after it.
func (x *exporter) budget(r *runner.Runner, stop func() bool) runner.Budget {
	if len(x.captions) == 0 {
		return runner.Budget{Time: 100 * time.Millisecond, Stop: stop}
	}
	x.captureNew(r)
	for r.Lesson != nil && !r.Done && !r.Training() {
		r.Continue() // headless waits for nobody (its loop does the same)
		r.Settle()
		x.captureNew(r)
	}
	return runner.Budget{Steps: 1, Stop: stop}
}

func (x *exporter) captureNew(r *runner.Runner) {
	for ; x.shown < len(r.Captions) && x.shown < len(x.captions); x.shown++ {
		run := export.Capture(r.Session, x.o.curveUnits)
		x.write(x.captions[x.shown], "--curve-every caption", func(w io.Writer) error { return export.WriteCurveCSV(w, run) })
	}
}

// finish writes the run's files; false if any write failed (each failure
// is one line on stderr).
func (x *exporter) finish(s *engine.Session) bool {
	if len(x.targets) == 0 {
		return !x.failed
	}
	run := export.Capture(s, x.o.curveUnits)
	if t := x.targets["history"]; t != nil {
		write := export.WriteHistoryCSV
		if x.o.historyJSON() {
			write = export.WriteHistoryJSON
		}
		x.write(t, "--history", func(w io.Writer) error { return write(w, run) })
	}
	if t := x.targets["curve"]; t != nil {
		x.write(t, "--curve", func(w io.Writer) error { return export.WriteCurveCSV(w, run) })
	}
	if t := x.targets["plot"]; t != nil {
		format, _ := export.PlotFormat(t.Path) // checked when the flag was read
		x.write(t, "--plot", func(w io.Writer) error { return export.WritePlot(w, run, format) })
	}
	return !x.failed
}

func (x *exporter) write(t *export.Target, flagName string, write func(io.Writer) error) {
	asked := t.Path
	got, err := t.Write(write)
	switch {
	case err != nil:
		x.failed = true
		fmt.Fprintf(x.stderr, "lnfit: %s %s: %v\n", flagName, engine.EscapeText(asked), err)
	case got != asked:
		fmt.Fprintf(x.stderr, "lnfit: %s: %s changed while training (someone else's file is there now), so it was kept and this went to %s\n",
			flagName, engine.EscapeText(asked), engine.EscapeText(got))
	}
}
