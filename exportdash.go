package main

import (
	"context"
	"fmt"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"

	"lnfit/engine"
	"lnfit/tui"
	"lnfit/tui/export"
)

// dashboard runs the dashboard with the export flags: --record records its
// output from the first frame to the last, and --history, --curve and
// --plot are written from the run as it stands when the dashboard closes.
func dashboardWithExports(ctx context.Context, s *engine.Session, st start, o *options, opts tui.Options, env environment) error {
	x, err := newExporter(o.export, st.lesson, env.stderr)
	if err != nil {
		return err
	}
	rec, code := openRecording(o, env, s.Label())
	if code != exitOK {
		return reportedError{code}
	}
	if env.dashboard != nil { // a test's stand-in: it draws nothing to record
		err = env.dashboard(ctx, s, opts)
	} else {
		var popts []tea.ProgramOption
		if rec != nil {
			popts = rec.options()
		}
		err = tui.RunProgram(ctx, s, opts, popts...)
	}
	if err != nil {
		fmt.Fprintf(env.stderr, "lnfit: %v\n", err)
		code = exitFailure
	}
	if rec != nil && !rec.finish(o.export.record, env.stderr) {
		code = exitFailure
	}
	if !x.finish(s) {
		code = exitFailure
	}
	if code != exitOK {
		return reportedError{code}
	}
	return nil
}

// openRecording starts --record's file (nil when not asked for): the
// output of whichever dashboard this terminal shows goes through it, with
// rec.options() added to tui.RunProgram's and rec.finish called after.
func openRecording(o *options, env environment, label string) (*recorder, int) {
	path := o.export.record
	if path == "" {
		return nil, exitOK
	}
	t, err := export.Check(path, export.KindCast)
	if err != nil {
		fmt.Fprintf(env.stderr, "lnfit: --record: %v\n", err)
		return nil, exitUsage
	}
	screen := osStdout(env)
	w, h := 80, 24
	if f, ok := screen.(term.File); ok {
		if tw, th, err := term.GetSize(f.Fd()); err == nil && tw > 0 && th > 0 {
			w, h = tw, th
		}
	}
	rec, err := startRecorder(&t, screen, w, h, label, !isTerminal(os.Stdin), time.Now)
	if err != nil {
		fmt.Fprintf(env.stderr, "lnfit: --record %s: %v\n", engine.EscapeText(path), err)
		return nil, exitFailure
	}
	return rec, exitOK
}
