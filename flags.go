package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"strconv"
	"strings"
	"time"

	"lnfit/engine"
	"lnfit/presets"
	"lnfit/tui"
)

// options are the parsed command line: what was asked, not yet checked
// against each other (rules.go does that) nor resolved (start.go).
type options struct {
	preset                 string
	settings               []settingFlag // in the order given
	steps                  int64
	until                  float64
	save, load             string
	points                 string // --points FILE.csv: train on the user's x,y (issue 24)
	compare, token, lesson string
	classroom              bool
	headless, json         bool
	list, listLessons      bool
	showVersion            bool
	set                    map[string]bool // flags given on the command line

	// The collapse map (mapcmd.go).
	mapAxes string
	seeds   int

	// The SSH classroom (serve.go).
	serve, classCode          string
	web                       string // the browser door's address (--web)
	authorizedKeys, hostKey   string
	broadcast                 bool
	maxSessions               int
	idleTimeout, sessionLimit time.Duration
	challenge                 *tui.Challenge // broadcast: what the forks race to meet

	export exportOptions // --history, --curve, --plot, --record (exportflags.go)
}

// settingFlag is one --NAME VALUE for a setting of engine's table.
type settingFlag struct {
	setting *engine.Setting
	value   string
}

// errNoValue marks a flag given an empty value where a value is needed.
var errNoValue = errors.New("needs a value")

func newFlagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("lnfit", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are ours to print, once
	fs.Usage = func() {}
	str := func(p *string, name, usage string) {
		fs.Func(name, usage, func(v string) error {
			if v == "" {
				return errNoValue
			}
			*p = v
			return nil
		})
	}
	o.preset = presets.Default
	str(&o.preset, "preset", "start from this preset (see --list-presets); default "+presets.Default)
	for _, st := range engine.Settings() {
		st := st
		fs.Func(st.Name, st.Help+": "+st.Want, func(v string) error {
			o.settings = append(o.settings, settingFlag{st, v})
			return nil
		})
	}
	o.steps = 10_000
	fs.Func("steps", "headless: steps to train (the cap, with --until); default 10000", func(v string) error {
		n, ok := engine.ParseWhole(v) // 1e4 as well as 10000
		if !ok || n < 0 || n > engine.MaxStep {
			return fmt.Errorf("want a whole number from 0 to %s", engine.Commas(engine.MaxStep))
		}
		o.steps = n
		return nil
	})
	fs.Func("until", "headless: stop once mse_above_0_01 < MSE (checked every 1000 steps)", func(v string) error {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f > 0) || math.IsInf(f, 0) {
			return fmt.Errorf("want an MSE > 0, e.g. 1e-4")
		}
		o.until = f
		return nil
	})
	fs.BoolVar(&o.headless, "headless", false, "train without the dashboard; summary on stdout")
	fs.BoolVar(&o.json, "json", false, "headless: print the summary as one JSON object")
	str(&o.save, "save", "save the network to FILE (headless: at the end; dashboard: the file w writes)")
	str(&o.load, "load", "start from a network saved by --save or w")
	str(&o.points, "points", "train on your own x,y points from FILE.csv (a header allowed; --data grid: all of them each step); the mse is on them")
	str(&o.compare, "compare", "race 2–4 optimizers from the same weights on the same batches, e.g. sgd,adam or sgd:0.01,adam:1e-4")
	str(&o.token, "config", "start from a shared config token (lnfit1-…; the help overlay shows the current one)")
	str(&o.lesson, "lesson", "run a lesson: a name from --list-lessons, or a lesson file")
	fs.BoolVar(&o.classroom, "classroom", false, "projector layout: bold text, a reverse-video caption, fewer numbers")
	fs.BoolVar(&o.list, "list-presets", false, "print the presets and exit")
	fs.BoolVar(&o.listLessons, "list-lessons", false, "print the built-in lessons and exit")
	fs.BoolVar(&o.showVersion, "version", false, "print the version and exit")
	str(&o.mapAxes, "map", "headless: the collapse map over two settings, e.g. lr=1e-5:1:13,init-scale=0.01:1:9 (--seeds runs a cell, --steps each)")
	o.seeds = 4
	fs.Func("seeds", "--map: runs per cell, seeds --seed … --seed+N−1 (default 4)", func(v string) error {
		n, ok := engine.ParseWhole(v)
		if !ok || n < 1 || n > 1000 {
			return fmt.Errorf("want a whole number from 1 to 1,000")
		}
		o.seeds = int(n)
		return nil
	})
	addr := func(p *string, name, usage, eg string) {
		fs.Func(name, usage, func(v string) error {
			if v == "" {
				return errNoValue
			}
			if _, _, err := net.SplitHostPort(v); err != nil {
				if _, err := strconv.ParseUint(v, 10, 16); err == nil { // a bare port
					return fmt.Errorf("want HOST:PORT or :PORT; did you mean :%s?", v)
				}
				return fmt.Errorf("want HOST:PORT or :PORT, e.g. %s", eg)
			}
			*p = v
			return nil
		})
	}
	addr(&o.serve, "serve", "serve the dashboard over SSH on ADDR (e.g. 127.0.0.1:2323, or :2323 for a classroom network)", "127.0.0.1:2323 or :2323")
	addr(&o.web, "web", "serve the dashboard to browsers on ADDR (e.g. :8080), beside --serve or alone", "127.0.0.1:8080 or :8080")
	fs.BoolVar(&o.broadcast, "broadcast", false, "serve: this terminal is the teacher's dashboard; students follow it (f forks a copy)")
	o.maxSessions = defaultMaxSessions()
	fs.Func("max-sessions", fmt.Sprintf("serve: at most N sessions at once (default %d here)", o.maxSessions), func(v string) error {
		n, ok := engine.ParseWhole(v)
		if !ok || n < 1 || n > 10_000 {
			return fmt.Errorf("want a whole number from 1 to 10,000")
		}
		o.maxSessions = int(n)
		return nil
	})
	dur := func(p *time.Duration, def time.Duration, name, usage string) {
		*p = def
		fs.Func(name, usage, func(v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < time.Second || d > 7*24*time.Hour {
				return fmt.Errorf("want a duration from 1s to 168h, e.g. 30m or 2h")
			}
			*p = d
			return nil
		})
	}
	dur(&o.idleTimeout, 30*time.Minute, "idle-timeout", "serve: close a session after this long without a key (default 30m)")
	dur(&o.sessionLimit, 4*time.Hour, "max-session", "serve: close a session after this long in all (default 4h)")
	str(&o.classCode, "class-code", "serve: students type this code to connect (keyboard-interactive)")
	str(&o.authorizedKeys, "authorized-keys", "serve: only these public keys may connect (an authorized_keys file)")
	str(&o.hostKey, "host-key", "serve: the server's host key, made once and reused (default: lnfit/host_ed25519 in the user's config dir)")
	fs.Func("challenge", "serve --broadcast: the forks race to meet it, e.g. 'mse<1e-3' or 'mse<1e-3 max 50000' (k ranks them)", func(v string) error {
		c, err := tui.ParseChallenge(v)
		o.challenge = &c
		return err
	})
	registerExportFlags(fs, &o.export)
	return fs
}

// parseFlags reads the command line. Every mistake is one line in lnfit's
// own words, naming the flag: "--lr: needs a value".
func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{set: map[string]bool{}}
	fs := newFlagSet(o)
	if err := swallowedFlag(fs, args); err != nil {
		return nil, err
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printHelp(fs, stderr)
			return nil, err
		}
		return nil, usageError{flagError(fs, err)}
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected argument %s (flags start with --; see --help)", engine.QuoteValue(fs.Arg(0)))
	}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	return o, nil
}

// swallowedFlag finds a flag given no value before another flag: the flag
// package takes the next flag as the value ("--preset --steps 10" sets the
// preset to "--steps", then "10" is a stray argument), so the error it
// would give names the wrong thing.
func swallowedFlag(fs *flag.FlagSet, args []string) error {
	name := func(a string) (*flag.Flag, bool) {
		if a == "--" || !strings.HasPrefix(a, "-") || strings.Contains(a, "=") {
			return nil, false
		}
		f := fs.Lookup(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"))
		return f, f != nil
	}
	for i := 0; i+1 < len(args); i++ {
		if args[i] == "--" {
			return nil // the rest are arguments
		}
		f, ok := name(args[i])
		if !ok {
			continue
		}
		if b, isBool := f.Value.(interface{ IsBoolFlag() bool }); isBool && b.IsBoolFlag() {
			continue
		}
		if next, ok := name(args[i+1]); ok {
			return usagef("--%s took --%s as its value: give --%s a value first (--%s VALUE)", f.Name, next.Name, f.Name, f.Name)
		}
		i++ // the value
	}
	return nil
}

// tokenAdvice is what a token that starts right but reads wrong most often
// means: only part of it was copied (the help wraps it over lines), and a
// cut token fails at whatever key the cut fell in.
func tokenAdvice(err error) string {
	if msg := err.Error(); strings.Contains(msg, "must start with") || strings.Contains(msg, "characters long") {
		return ""
	}
	return "; the token looks incomplete — copy every line of it (? shows it; the line breaks may stay)"
}

// flagError turns the flag package's messages into one line naming the
// flag the way it is typed (--name), with anything echoed made inert.
func flagError(fs *flag.FlagSet, err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return fmt.Sprintf("--%s: needs a value", engine.EscapeText(name))
	}
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		if near := engine.NearMiss(strings.TrimPrefix(name, "-"), names); near != "" {
			return fmt.Sprintf("unknown flag --%s: did you mean --%s?", engine.ShortText(name, 60), near)
		}
		return fmt.Sprintf("unknown flag --%s (see --help for the flags)", engine.ShortText(name, 60))
	}
	if rest, ok := strings.CutPrefix(msg, "bad flag syntax: "); ok {
		return fmt.Sprintf("%s is not a flag (flags are --name or --name=value; see --help)", engine.QuoteValue(rest))
	}
	// invalid value "x" for flag -name: reason  /  invalid boolean value "x" for -name: reason
	if strings.HasPrefix(msg, "invalid ") {
		i := strings.Index(msg, " for ")
		if i >= 0 {
			rest := strings.TrimPrefix(strings.TrimPrefix(msg[i+len(" for "):], "flag "), "-")
			name, reason, _ := strings.Cut(rest, ": ")
			value := ""
			if q := strings.Index(msg[:i], `"`); q >= 0 {
				if v, err := strconv.Unquote(msg[q:i]); err == nil {
					value = v
				}
			}
			if f := fs.Lookup(name); f != nil {
				if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); isBool {
					reason = "want true or false (or the flag alone)"
				}
				if reason == errNoValue.Error() {
					return fmt.Sprintf("--%s: needs a value", name)
				}
				return fmt.Sprintf("--%s %s: %s", name, engine.QuoteValue(value), reason)
			}
		}
	}
	return engine.ShortText(msg, 200)
}

func printHelp(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "lnfit %s — watch a 1→50→10→1 ReLU net learn y = ln(x), or collapse to −1.\n\n", version)
	fmt.Fprintf(w, "Usage:\n  lnfit [flags]                 the dashboard\n  lnfit --headless [flags]      train without a screen\n\n")
	fmt.Fprintf(w, "Settings (each overrides the preset's, the token's or the loaded file's value):\n")
	for _, st := range engine.Settings() {
		fmt.Fprintf(w, "  --%-17s %s: %s\n", st.Name+" V", st.Help, st.Want)
	}
	fmt.Fprintf(w, "\nOther flags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		if _, ok := engine.LookupSetting(f.Name); ok {
			return
		}
		fmt.Fprintf(w, "  --%-17s %s\n", f.Name, f.Usage)
	})
}
