package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// untilCap is the step cap for --until when --steps is not given.
const untilCap = 1_000_000

// summaryBudget bounds the grid evaluation of the summary after a signal:
// a huge network's whole grid takes seconds, and whoever pressed Ctrl-C is
// waiting. Without a signal the grid is always evaluated whole.
const summaryBudget = 500 * time.Millisecond

// headless trains without a screen through the same runner the dashboard
// uses, then prints the summary and saves.
func headless(ctx context.Context, st start, o *options, env environment) error {
	var seen engine.FileState // what --save's path held when we looked: only that may be replaced
	if o.save != "" {
		var err error
		if seen, err = checkSaveTarget(o.save); err != nil {
			return usagef("--save: %v", err)
		}
	}
	ex, err := newExporter(o.export, st.lesson, env.stderr) // --history, --curve, --plot: checked now, written at the end
	if err != nil {
		return err
	}
	s, err := st.session()
	if err != nil {
		return err
	}
	r := runner.New(s, st.lesson)
	if o.json && r.Timeline == nil {
		r.Timeline = engine.NewTimeline() // for snapshot_steps: the moments a dashboard would keep
	}
	if st.lesson == nil {
		r.Steps = o.steps
		if o.set["until"] {
			r.Until = o.until
			if !o.set["steps"] {
				r.Steps = untilCap
			}
		}
	}
	var bar *progressBar // progress only where a person watches
	if env.stderrTTY && st.lesson == nil {
		bar = &progressBar{w: env.stderr, total: r.Steps}
	}
	stop := func() bool { return ctx.Err() != nil }
	start := time.Now()
	shown := 0
	for !r.Done && !stop() {
		r.Advance(ex.budget(r, stop))
		for ; shown < len(r.Captions); shown++ { // every caption, as it comes
			if !o.json {
				c := r.Captions[shown]
				fmt.Fprintf(env.stdout, "› step %s: %s\n", engine.Commas(c.Step), c.Text)
			}
		}
		if r.Waiting { // nobody to wait for: go straight on
			r.Continue()
		}
		if bar != nil {
			bar.draw(r.Taken, time.Since(start), s.Main().LastLoss())
		}
	}
	elapsed := time.Since(start)
	if bar != nil {
		bar.clear()
	}
	if r.Err != nil {
		return r.Err
	}
	var stops func(lane int) func() bool
	if ctx.Err() != nil { // each lane its share of the budget; what one leaves, the next may use
		t0, n := time.Now(), time.Duration(len(s.Lanes()))
		stops = func(lane int) func() bool {
			deadline := t0.Add(summaryBudget * time.Duration(lane+1) / n)
			return func() bool { return time.Now().After(deadline) }
		}
	}
	sum := summarize(s, r, elapsed, stops)
	sum.Interrupted = ctx.Err() != nil
	if o.set["until"] && st.lesson == nil {
		u := o.until
		sum.Until = &u
	}
	var saveErr error
	if o.save != "" {
		if bar != nil { // a huge network's file takes seconds to write: say what is happening
			fmt.Fprintf(env.stderr, "\rsaving the network to %s…\x1b[K", engine.EscapeText(o.save))
		}
		written, _, err := s.Main().SaveGuarded(o.save, seen)
		if bar != nil {
			bar.clear()
		}
		switch {
		case err != nil:
			sum.SaveError = err.Error()
			saveErr = fmt.Errorf("--save %s: %v", engine.EscapeText(o.save), err)
		case written != o.save:
			sum.Saved = written
			sum.SaveNote = fmt.Sprintf("%s changed while training (someone else's file is there now), so it was kept and the network went to %s",
				engine.EscapeText(o.save), engine.EscapeText(written))
			fmt.Fprintf(env.stderr, "lnfit: --save: %s\n", sum.SaveNote)
		default:
			sum.Saved = written
		}
	}
	exported := ex.finish(s)
	if err := writeSummary(env.stdout, sum, o.json); err != nil {
		return fmt.Errorf("writing the summary: %v", err)
	}
	if sum.Diverged {
		return divergedError{also: saveErr}
	}
	if saveErr == nil && !exported { // finish said what failed
		return reportedError{exitFailure}
	}
	return saveErr
}

// checkSaveTarget refuses, before any training, a --save that could not
// succeed: a directory that is missing or not writable, or a file that is
// not an lnfit network (--save FILE may replace an earlier save, never
// somebody's other data). It returns what is there, so the save at the end
// replaces only that.
func checkSaveTarget(path string) (engine.FileState, error) {
	if err := checkSaveDir(path); err != nil { // the save writes beside the file, even to replace it
		return engine.FileState{}, err
	}
	seen, err := engine.StatFile(path)
	if err != nil || !seen.Exists {
		return seen, err
	}
	if _, _, err := engine.LoadFile(path); err != nil {
		return seen, fmt.Errorf("%s exists and is not an lnfit network (%v); not overwriting it", engine.EscapeText(path), err)
	}
	return seen, nil
}

// checkSaveDir says why a file could not be written at path's directory:
// it is missing, not a directory, or not writable (tried by creating and
// removing a hidden file there, the way the save itself begins).
func checkSaveDir(path string) error {
	dir := filepath.Dir(path)
	shown := engine.EscapeText(dir)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("the directory %s does not exist (nothing was trained)", shown)
	case err != nil:
		return fmt.Errorf("the directory %s: %v", shown, err)
	case !fi.IsDir():
		return fmt.Errorf("%s is not a directory (nothing was trained)", shown)
	}
	f, err := os.CreateTemp(dir, ".lnfit-check-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("cannot write in %s: %v (nothing was trained)", shown, err)
	}
	f.Close()
	return os.Remove(f.Name())
}
