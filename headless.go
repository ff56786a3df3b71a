package main

import (
	"context"
	"fmt"
	"time"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// untilCap is the step cap for --until when --steps is not given.
const untilCap = 1_000_000

// headless trains without a screen through the same runner the dashboard
// uses, then prints the summary and saves.
func headless(ctx context.Context, st start, o *options, env environment) int {
	var seen engine.FileState // what --save's path held when we looked: only that may be replaced
	if o.save != "" {
		var err error
		if seen, err = checkSaveTarget(o.save); err != nil {
			fmt.Fprintf(env.stderr, "lnfit: --save: %v\n", err)
			return exitUsage
		}
	}
	ex, err := newExporter(o.export, st.lesson, env.stderr) // --history, --curve, --plot: checked now, written at the end
	if err != nil {
		fmt.Fprintf(env.stderr, "lnfit: %v\n", err)
		return exitUsage
	}
	s, err := st.session()
	if err != nil {
		fmt.Fprintf(env.stderr, "lnfit: %v\n", err)
		return exitUsage
	}
	r := runner.New(s, st.lesson)
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
		fmt.Fprintf(env.stderr, "lnfit: %v\n", r.Err)
		return exitFailure
	}
	sum := summarize(s, r, elapsed)
	sum.Interrupted = ctx.Err() != nil
	if o.set["until"] && st.lesson == nil {
		u := o.until
		sum.Until = &u
	}
	if o.save != "" {
		written, _, err := s.Main().SaveGuarded(o.save, seen)
		switch {
		case err != nil:
			sum.SaveError = err.Error()
			fmt.Fprintf(env.stderr, "lnfit: --save %s: %v\n", engine.EscapeText(o.save), err)
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
		fmt.Fprintf(env.stderr, "lnfit: writing the summary: %v\n", err)
		return exitFailure
	}
	switch {
	case sum.Diverged:
		return exitDiverged
	case sum.SaveError != "", !exported:
		return exitFailure
	}
	return exitOK
}

// checkSaveTarget refuses to overwrite a file that is not an lnfit network:
// --save FILE may replace an earlier save, never somebody's other data. It
// returns what is there, so the save at the end replaces only that.
func checkSaveTarget(path string) (engine.FileState, error) {
	seen, err := engine.StatFile(path)
	if err != nil || !seen.Exists {
		return seen, err
	}
	if _, _, err := engine.LoadFile(path); err != nil {
		return seen, fmt.Errorf("%s exists and is not an lnfit network (%v); not overwriting it", engine.EscapeText(path), err)
	}
	return seen, nil
}
