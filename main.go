// Command lnfit watches a small neural network learn y = ln(x) — or fail to.
//
//	lnfit                         the dashboard, on the seed question's setup
//	lnfit --preset answer         the dashboard, on the seed answer's setup
//	lnfit --headless --steps N    train without a screen; --json for scripts
//
// The command is a few files: flags.go reads the command line, rules.go
// checks which flags go together, start.go resolves where the run begins,
// headless.go trains without a screen and summary.go prints what came of
// it; exit.go turns every command's error into the exit status. The
// dashboard is package tui. See README.md for every flag and key.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/presets"
	"lnfit/tui"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.2.0"

func main() {
	env := environment{
		stdout: os.Stdout, stderr: os.Stderr,
		stdoutTTY: isTerminal(os.Stdout), stderrTTY: isTerminal(os.Stderr),
	}
	os.Exit(run(signalContext(env.stderr), os.Args[1:], env))
}

// signalContext is cancelled by SIGINT, SIGTERM, SIGHUP or SIGQUIT: the run stops at
// a step boundary, prints its summary, saves, and restores the terminal. A
// second signal exits at once.
func signalContext(stderr io.Writer) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	go func() {
		<-sig
		cancel()
		<-sig
		fmt.Fprintln(stderr, "\nlnfit: second signal: exiting now, without a summary")
		os.Exit(130)
	}()
	return ctx
}

// environment is what run needs from the process, so tests can fake it.
type environment struct {
	stdout, stderr       io.Writer
	stdoutTTY, stderrTTY bool
	dashboard            func(context.Context, *engine.Session, tui.Options) error // nil: tui.Run
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// run is the command: its exit status comes from the error the command
// returns, in one place (report).
func run(ctx context.Context, args []string, env environment) int {
	return report(env.stderr, runCommand(ctx, args, env))
}

// runCommand reads the flags, checks their combination against the rules
// table, resolves where the run starts and runs the command asked for.
func runCommand(ctx context.Context, args []string, env environment) error {
	o, err := parseFlags(args, env.stderr)
	if err != nil {
		return err
	}
	switch {
	case o.showVersion:
		fmt.Fprintf(env.stdout, "lnfit %s\n", version)
		return nil
	case o.list:
		listPresets(env.stdout)
		return nil
	case o.listLessons:
		for _, l := range runner.Lessons {
			fmt.Fprintf(env.stdout, "%-12s %s\n", l.Name, l.Title)
		}
		return nil
	}
	if err := checkRules(o.set); err != nil {
		return err
	}
	if err := o.export.check(o); err != nil {
		return err
	}
	st, err := resolveStart(o)
	if err != nil {
		return err
	}
	switch {
	case o.serve != "" || o.web != "":
		return serveCommand(ctx, st, o, env)
	case o.mapAxes != "":
		return mapCommand(ctx, st, o, env)
	case o.headless:
		return headless(ctx, st, o, env)
	}
	return dashboard(ctx, st, o, env)
}

// dashboard runs the terminal dashboard.
func dashboard(ctx context.Context, st start, o *options, env environment) error {
	if !env.stdoutTTY {
		return usagef("stdout is not a terminal, so there is no screen to draw the dashboard on; use --headless (and --json for scripts)")
	}
	if o.save != "" { // w saves there: a directory that is not there is said now, not at the first w
		if err := checkSaveDir(o.save); err != nil {
			return usagef("--save: %v", err)
		}
	}
	s, err := st.session()
	if err != nil {
		return err
	}
	opts := tui.Options{SavePath: o.save, Lesson: st.lesson, Classroom: o.classroom}
	return dashboardWithExports(ctx, s, st, o, opts, env) // with --record and the export files (exportdash.go)
}

// serveCommand runs the SSH classroom (serve.go), which prints its own
// errors and returns a status.
func serveCommand(ctx context.Context, st start, o *options, env environment) error {
	if o.save != "" && o.broadcast { // the teacher's w saves there
		if err := checkSaveDir(o.save); err != nil {
			return usagef("--save: %v", err)
		}
	}
	if code := serve(ctx, st, o, env); code != exitOK {
		return reportedError{code}
	}
	return nil
}

// listPresets prints the presets, a column for each setting the table marks
// as a column and the other settings under OTHER where they differ from
// the question's.
func listPresets(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	cols := []*engine.Setting{}
	head := []string{"PRESET"}
	for _, st := range engine.Settings() {
		if st.Column {
			cols = append(cols, st)
			head = append(head, strings.ToUpper(st.Name))
		}
	}
	fmt.Fprintln(tw, strings.Join(append(head, "OTHER", "WHAT IT TEACHES"), "\t"))
	base := engine.DefaultConfig()
	for _, p := range presets.All {
		row := []string{p.Name}
		for _, st := range cols {
			row = append(row, st.Get(p.Config))
		}
		var other []string
		for _, st := range engine.Settings() {
			if !st.Column && st.Get(p.Config) != st.Get(base) {
				other = append(other, st.Name+" "+st.Get(p.Config))
			}
		}
		if len(other) == 0 {
			other = []string{"-"}
		}
		row = append(row, strings.Join(other, ", "), p.Teach)
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()
}

// osStdout is the real stdout when env writes there (for colour detection).
func osStdout(env environment) io.Writer {
	if env.stdout != nil {
		return env.stdout
	}
	return os.Stdout
}

func envList() []string { return os.Environ() }
