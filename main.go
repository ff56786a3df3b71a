// Command lnfit watches a small neural network learn y = ln(x) — or fail to.
//
//	lnfit                         the dashboard, on the seed question's setup
//	lnfit --preset answer         the dashboard, on the seed answer's setup
//	lnfit --headless --steps N    train without a screen; --json for scripts
//
// See README.md for every flag and key.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"

	"lnfit/engine"
	"lnfit/presets"
	"lnfit/tui"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0"

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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], env))
}

// environment is what run needs from the process, so tests can fake it.
type environment struct {
	stdout, stderr       io.Writer
	stdoutTTY, stderrTTY bool
	dashboard            func(*engine.Trainer, tui.Options) error // nil: tui.Run
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// options are the parsed flags.
type options struct {
	preset                         string
	optimizer, init, activation    string
	lr, xmin, until, dropout       float64
	batch                          int
	hidden, data, save, load       string
	seed                           uint64
	steps                          int64
	compare, token, lesson         string
	classroom                      bool
	lanes                          []string
	lessonDef                      *presets.Lesson
	headless, json, list, showVers bool
	listLessons                    bool
	set                            map[string]bool // flags given on the command line
}

// usageError is bad input: one line on stderr, exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{set: map[string]bool{}}
	fs := flag.NewFlagSet("lnfit", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are ours to print, once
	fs.StringVar(&o.preset, "preset", presets.Default, "start from this preset (see --list-presets)")
	fs.StringVar(&o.optimizer, "optimizer", "", "optimizer: "+strings.Join(engine.Optimizers, ", "))
	fs.StringVar(&o.init, "init", "", "initializer: "+strings.Join(engine.Inits, ", "))
	fs.StringVar(&o.activation, "activation", "", "hidden activation: relu, leaky-relu, tanh, sigmoid")
	fs.Float64Var(&o.lr, "lr", 0, "learning rate (> 0)")
	fs.IntVar(&o.batch, "batch", 0, "batch size (≥ 1)")
	fs.StringVar(&o.hidden, "hidden", "", "hidden layer sizes, e.g. 50,10")
	fs.Float64Var(&o.xmin, "xmin", 0, "sample x from (xmin, 1], 0 ≤ xmin < 1")
	fs.Float64Var(&o.dropout, "dropout", 0, "dropout rate on hidden units, 0 ≤ p < 1")
	fs.Uint64Var(&o.seed, "seed", 1, "seed, a whole number ≥ 0, for the initial weights and the batches")
	fs.StringVar(&o.data, "data", "", "data: sample (fresh batch each step) or grid (fixed 1000-point full batch)")
	fs.Int64Var(&o.steps, "steps", 10_000, "headless: steps to train (the cap, with --until)")
	fs.Float64Var(&o.until, "until", 0, "headless: stop once mse_above_0_01 < MSE (checked every 1000 steps)")
	fs.BoolVar(&o.headless, "headless", false, "train without the dashboard; summary on stdout")
	fs.BoolVar(&o.json, "json", false, "headless: print the summary as one JSON object")
	fs.StringVar(&o.save, "save", "", "save the network to FILE (headless: at the end; dashboard: the file w writes)")
	fs.StringVar(&o.load, "load", "", "start from a network saved by --save or w")
	fs.StringVar(&o.compare, "compare", "", "race 2–4 optimizers from the same weights on the same batches, e.g. sgd,adam")
	fs.StringVar(&o.token, "config", "", "start from a shared config token (lnfit1-…; the help overlay shows the current one)")
	fs.StringVar(&o.lesson, "lesson", "", "run a lesson: a name from --list-lessons, or a lesson file")
	fs.BoolVar(&o.classroom, "classroom", false, "projector layout: large captions, high contrast, fewer numbers")
	fs.BoolVar(&o.list, "list-presets", false, "print the presets and exit")
	fs.BoolVar(&o.listLessons, "list-lessons", false, "print the built-in lessons and exit")
	fs.BoolVar(&o.showVers, "version", false, "print the version and exit")
	// The flag package prints the whole usage on any error; we want one line
	// for a mistake and the usage only for --help.
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "lnfit %s — watch a 1→50→10→1 ReLU net learn y = ln(x), or collapse to −1.\n\n", version)
			fmt.Fprintf(stderr, "Usage:\n  lnfit [flags]                 the dashboard\n  lnfit --headless [flags]      train without a screen\n\nFlags:\n")
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			return nil, err
		}
		msg := err.Error()
		// "invalid value "abc" for flag -lr: parse error" → name the allowed values.
		if i := strings.Index(msg, " for flag -"); i >= 0 && strings.HasPrefix(msg, "invalid value") {
			name, _, _ := strings.Cut(msg[i+len(" for flag -"):], ":")
			if f := fs.Lookup(name); f != nil {
				msg = fmt.Sprintf("--%s %s: not valid; want %s", name, strings.TrimPrefix(msg[:i], "invalid value "), f.Usage)
			}
		}
		if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
			msg = fmt.Sprintf("unknown flag --%s (see --help for the flags)", name)
		}
		return nil, usageError{msg}
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected argument %q (flags start with --; see --help)", fs.Arg(0))
	}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	return o, nil
}

// buildConfig starts from the preset (or the loaded file's configuration) and
// applies every flag given on the command line.
func buildConfig(o *options) (engine.Config, *engine.SavedNetwork, *engine.Network, error) {
	var cfg engine.Config
	var saved *engine.SavedNetwork
	var net *engine.Network
	p, err := presets.Get(o.preset)
	if err != nil {
		return cfg, nil, nil, usagef("--preset: %v", err)
	}
	cfg = p.Config
	if o.token != "" {
		if o.load != "" {
			return cfg, nil, nil, usagef("--config and --load both set the starting point: give one")
		}
		setup, err := engine.ParseToken(o.token)
		if err != nil {
			return cfg, nil, nil, usagef("--config: %v", err)
		}
		if !o.set["preset"] {
			cfg = setup.Config
			o.preset = setup.Label
		}
		o.lanes = setup.Lanes
	}
	if o.lesson != "" {
		l, err := presets.GetLesson(o.lesson)
		if err != nil {
			return cfg, nil, nil, usagef("--lesson: %v", err)
		}
		o.lessonDef = l
	}
	if o.compare != "" {
		lanes, err := engine.ParseLanes(o.compare)
		if err != nil {
			return cfg, nil, nil, usagef("--compare: %v", err)
		}
		o.lanes = lanes
	}
	if o.load != "" {
		s, n, err := engine.LoadFile(o.load)
		if err != nil {
			return cfg, nil, nil, usagef("--load: %v", err)
		}
		saved, net = &s, n
		if !o.set["preset"] {
			cfg = s.Config.Clone()
		}
	}
	if o.set["optimizer"] {
		if err := engine.CheckOptimizer(o.optimizer); err != nil {
			return cfg, nil, nil, usagef("--optimizer: %v", err)
		}
		cfg.Optimizer = o.optimizer
		if !o.set["lr"] {
			cfg.LR = engine.DefaultLR[o.optimizer]
		}
	}
	if o.set["init"] {
		if err := engine.CheckInit(o.init); err != nil {
			return cfg, nil, nil, usagef("--init: %v", err)
		}
		cfg.Init = o.init
	}
	if o.set["activation"] {
		if _, err := engine.ParseActivation(o.activation); err != nil {
			return cfg, nil, nil, usagef("--activation: %v", err)
		}
		cfg.Activation = o.activation
	}
	if o.set["lr"] {
		if err := engine.CheckLR(o.lr); err != nil {
			return cfg, nil, nil, usagef("--lr: %v", err)
		}
		cfg.LR = o.lr
	}
	if o.set["batch"] {
		if o.batch < 1 || o.batch > engine.MaxBatch {
			return cfg, nil, nil, usagef("--batch %d: want a whole number from 1 to %d", o.batch, engine.MaxBatch)
		}
		cfg.Batch = o.batch
	}
	if o.set["hidden"] {
		h, err := engine.ParseHidden(o.hidden)
		if err != nil {
			return cfg, nil, nil, usagef("--%v", err)
		}
		cfg.Hidden = h
	}
	if o.set["xmin"] {
		if !(o.xmin >= 0 && o.xmin < 1) {
			return cfg, nil, nil, usagef("--xmin %v: want a number with 0 ≤ xmin < 1", o.xmin)
		}
		cfg.XMin = o.xmin
	}
	if o.set["dropout"] {
		if !(o.dropout >= 0 && o.dropout < 1) {
			return cfg, nil, nil, usagef("--dropout %v: want a number with 0 ≤ p < 1", o.dropout)
		}
		cfg.Dropout = o.dropout
	}
	if o.set["data"] {
		if o.data != engine.DataSample && o.data != engine.DataGrid {
			return cfg, nil, nil, usagef("--data %q: want sample or grid", o.data)
		}
		cfg.Data = o.data
	}
	if o.set["seed"] || (saved == nil && o.token == "") {
		cfg.Seed = o.seed
	}
	if o.steps < 0 {
		return cfg, nil, nil, usagef("--steps %d: want 0 or more", o.steps)
	}
	if o.set["until"] && !(o.until > 0) || math.IsInf(o.until, 0) {
		return cfg, nil, nil, usagef("--until %v: want an MSE > 0, e.g. 1e-4", o.until)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, nil, nil, usagef("%v", err)
	}
	if net != nil {
		if engine.HiddenString(net.Hidden()) != engine.HiddenString(cfg.Hidden) {
			return cfg, nil, nil, usagef("--load: the saved network has hidden sizes %s, but the configuration asks for %s",
				engine.HiddenString(net.Hidden()), engine.HiddenString(cfg.Hidden))
		}
		if net.Act.String() != cfg.Activation {
			return cfg, nil, nil, usagef("--load: the saved network uses %s, but the configuration asks for %s", net.Act, cfg.Activation)
		}
	}
	return cfg, saved, net, nil
}

func run(ctx context.Context, args []string, env environment) int {
	o, err := parseFlags(args, env.stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(env.stderr, "lnfit: %v\n", err)
		return exitUsage
	}
	if o.showVers {
		fmt.Fprintf(env.stdout, "lnfit %s\n", version)
		return exitOK
	}
	if o.list {
		listPresets(env.stdout)
		return exitOK
	}
	if o.listLessons {
		for _, l := range presets.Lessons {
			fmt.Fprintf(env.stdout, "%-12s %s\n", l.Name, l.Title)
		}
		return exitOK
	}
	cfg, saved, net, err := buildConfig(o)
	if err != nil {
		fmt.Fprintf(env.stderr, "lnfit: %v\n", err)
		return exitUsage
	}
	tr, err := engine.New(cfg)
	if err != nil {
		fmt.Fprintf(env.stderr, "lnfit: %v\n", err)
		return exitUsage
	}
	if net != nil {
		if err := tr.LoadNetwork(net, saved.Step); err != nil {
			fmt.Fprintf(env.stderr, "lnfit: --load: %v\n", err)
			return exitUsage
		}
	}
	presetName := o.preset // a token's label, when --config gave one
	if saved != nil && !o.set["preset"] {
		presetName = "loaded"
	}
	if o.headless {
		return headless(ctx, tr, o, presetName, env)
	}
	if o.json || o.set["until"] {
		fmt.Fprintln(env.stderr, "lnfit: --json and --until go with --headless")
		return exitUsage
	}
	if !env.stdoutTTY {
		fmt.Fprintln(env.stderr, "lnfit: stdout is not a terminal, so there is no screen to draw the dashboard on; use --headless (and --json for scripts)")
		return exitUsage
	}
	dash := env.dashboard
	if dash == nil {
		dash = tui.Run
	}
	opts := tui.Options{Preset: presetName, SavePath: o.save, Lanes: o.lanes, Lesson: o.lessonDef, Classroom: o.classroom}
	if err := dash(tr, opts); err != nil {
		fmt.Fprintf(env.stderr, "lnfit: %v\n", err)
		return exitFailure
	}
	return exitOK
}

func listPresets(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PRESET\tINIT\tOPTIMIZER\tLR\tBATCH\tOTHER\tWHAT IT TEACHES")
	for _, p := range presets.All {
		c := p.Config
		var other []string
		if c.Activation != "relu" {
			other = append(other, c.Activation)
		}
		if c.XMin != 0 {
			other = append(other, "xmin "+strconv.FormatFloat(c.XMin, 'g', -1, 64))
		}
		if c.Data != engine.DataSample {
			other = append(other, "data "+c.Data)
		}
		if c.Dropout != 0 {
			other = append(other, "dropout "+strconv.FormatFloat(c.Dropout, 'g', -1, 64))
		}
		if len(other) == 0 {
			other = []string{"-"}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%g\t%d\t%s\t%s\n", p.Name, c.Init, c.Optimizer, c.LR, c.Batch, strings.Join(other, ", "), p.Teach)
	}
	tw.Flush()
}
