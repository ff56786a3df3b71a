// Command lnfit watches a small neural network learn y = ln(x) — or fail to.
//
//	lnfit                         the dashboard, on the seed question's setup
//	lnfit --preset answer         the dashboard, on the seed answer's setup
//	lnfit --headless --steps N    train without a screen; --json for scripts
//
// The command is a few files: flags.go reads the command line, start.go
// resolves where the run begins, headless.go trains without a screen and
// summary.go prints what came of it; the dashboard is package tui. See
// README.md for every flag and key.
package main

import (
	"context"
	"errors"
	"flag"
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

// Exit statuses: a contract with scripts.
const (
	exitOK       = 0
	exitFailure  = 1 // the run could not finish (e.g. --save failed)
	exitUsage    = 2
	exitDiverged = 3
)

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

func run(ctx context.Context, args []string, env environment) int {
	fail := func(err error) int {
		fmt.Fprintf(env.stderr, "lnfit: %v\n", err)
		var u usageError
		if errors.As(err, &u) {
			return exitUsage
		}
		return exitFailure
	}
	o, err := parseFlags(args, env.stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return fail(err)
	}
	switch {
	case o.showVersion:
		fmt.Fprintf(env.stdout, "lnfit %s\n", version)
		return exitOK
	case o.list:
		listPresets(env.stdout)
		return exitOK
	case o.listLessons:
		for _, l := range runner.Lessons {
			fmt.Fprintf(env.stdout, "%-12s %s\n", l.Name, l.Title)
		}
		return exitOK
	}
	st, err := resolveStart(o)
	if err != nil {
		return fail(err)
	}
	if !o.headless && (o.json || o.set["until"] || o.set["steps"]) {
		return fail(usagef("--json, --until and --steps go with --headless"))
	}
	if err := o.export.check(o); err != nil {
		return fail(err)
	}
	for _, f := range []string{"broadcast", "max-sessions", "idle-timeout", "max-session", "class-code", "authorized-keys", "host-key"} {
		if o.set[f] && o.serve == "" {
			return fail(usagef("--%s goes with --serve ADDR", f))
		}
	}
	if o.serve != "" {
		if o.headless {
			return fail(usagef("--serve and --headless: a server draws dashboards; give one"))
		}
		return serve(ctx, st, o, env)
	}
	if o.set["seeds"] && o.mapAxes == "" {
		return fail(usagef("--seeds goes with --map"))
	}
	if o.mapAxes != "" {
		if !o.headless {
			return fail(usagef("--map goes with --headless (in the dashboard, m opens the map)"))
		}
		return mapCommand(ctx, st, o, env)
	}
	if o.headless {
		return headless(ctx, st, o, env)
	}
	if !env.stdoutTTY {
		return fail(usagef("stdout is not a terminal, so there is no screen to draw the dashboard on; use --headless (and --json for scripts)"))
	}
	s, err := st.session()
	if err != nil {
		return fail(err)
	}
	opts := tui.Options{SavePath: o.save, Lesson: st.lesson, Classroom: o.classroom}
	return dashboard(ctx, s, st, o, opts, env) // with --record and the export files (exportdash.go)
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
