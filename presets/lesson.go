package presets

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"lnfit/engine"
)

// A lesson is a script, one command a line; lessons.go holds the built-in
// ones and --lesson FILE reads the same format:
//
//	title TEXT              the lesson's title
//	preset NAME             start over from a preset (same seed as now)
//	set KEY VALUE           optimizer, init, lr, batch, activation, seed (restarts for init, activation, seed)
//	race OPT,OPT[,…]        fork 2–4 lanes from the current weights (same batches)
//	race off                keep lane A only
//	run N                   train N more steps
//	until COND [max N]      train until collapsed | converged | mse<V | step>=N (at most N more steps; default 200000)
//	say TEXT                show a caption
//	wait                    wait for the presenter (space); headless goes straight on
//
// Blank lines and lines starting with # are skipped; other commands than say
// and title may end in a "# comment".

// Step is one parsed command.
type Step struct {
	Line  int
	Op    string // title, preset, set, race, run, until, say, wait
	Arg   string
	Value string
	N     int64   // run: steps; until: the cap
	Cond  string  // until: collapsed, converged, mse, step
	Limit float64 // until mse<V: V; until step>=N: N
}

// Lesson is a named, parsed script.
type Lesson struct {
	Name, Title string
	Steps       []Step
}

const (
	defaultUntilCap = 200_000
	maxLessonSteps  = 10_000_000
	maxLessonLines  = 1000
)

// ParseLesson reads a lesson script, naming the line and what is wrong.
func ParseLesson(name, text string) (*Lesson, error) {
	l := &Lesson{Name: name, Title: name}
	lines := strings.Split(text, "\n")
	if len(lines) > maxLessonLines {
		return nil, fmt.Errorf("lesson %s: %d lines; a lesson has at most %d", name, len(lines), maxLessonLines)
	}
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.ContainsAny(line, "\x1b\x00") {
			return nil, fmt.Errorf("lesson %s line %d: control characters are not allowed", name, i+1)
		}
		op, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		if op != "say" && op != "title" { // a trailing "# comment"; captions may use #
			if i := strings.Index(" "+rest, " #"); i >= 0 {
				rest = strings.TrimSpace((" " + rest)[:i])
			}
		}
		st := Step{Line: i + 1, Op: op}
		bad := func(format string, a ...any) error {
			return fmt.Errorf("lesson %s line %d (%s): %s", name, i+1, op, fmt.Sprintf(format, a...))
		}
		switch op {
		case "title":
			if rest == "" {
				return nil, bad("needs a title")
			}
			l.Title = rest
			continue
		case "say":
			if rest == "" {
				return nil, bad("needs the caption text")
			}
			st.Arg = rest
		case "wait":
			if rest != "" {
				return nil, bad("takes nothing after it")
			}
		case "preset":
			if _, err := Get(rest); err != nil {
				return nil, bad("%v", err)
			}
			st.Arg = rest
		case "set":
			key, val, _ := strings.Cut(rest, " ")
			val = strings.TrimSpace(val)
			if err := checkSet(key, val); err != nil {
				return nil, bad("%v", err)
			}
			st.Arg, st.Value = key, val
		case "race":
			if rest != "off" {
				if _, err := engine.ParseLanes(rest); err != nil {
					return nil, bad("%v", err)
				}
			}
			st.Arg = rest
		case "run":
			n, err := strconv.ParseInt(rest, 10, 64)
			if err != nil || n < 1 || n > maxLessonSteps {
				return nil, bad("%q is not a step count from 1 to %d", rest, maxLessonSteps)
			}
			st.N = n
		case "until":
			cond, capText, hasCap := strings.Cut(rest, " max ")
			st.N = defaultUntilCap
			if hasCap {
				n, err := strconv.ParseInt(strings.TrimSpace(capText), 10, 64)
				if err != nil || n < 1 || n > maxLessonSteps {
					return nil, bad("max %q is not a step count from 1 to %d", capText, maxLessonSteps)
				}
				st.N = n
			}
			cond = strings.TrimSpace(cond)
			switch {
			case cond == "collapsed" || cond == "converged":
				st.Cond = cond
			case strings.HasPrefix(cond, "mse<"):
				v, err := strconv.ParseFloat(cond[4:], 64)
				if err != nil || !(v > 0) || math.IsInf(v, 0) {
					return nil, bad("%q: want mse<V with V > 0, e.g. mse<1e-3", cond)
				}
				st.Cond, st.Limit = "mse", v
			case strings.HasPrefix(cond, "step>="):
				v, err := strconv.ParseInt(cond[6:], 10, 64)
				if err != nil || v < 0 || v > maxLessonSteps {
					return nil, bad("%q: want step>=N with 0 ≤ N ≤ %d", cond, maxLessonSteps)
				}
				st.Cond, st.Limit = "step", float64(v)
			default:
				return nil, bad("unknown condition %q (want collapsed, converged, mse<V or step>=N)", cond)
			}
		default:
			return nil, fmt.Errorf("lesson %s line %d: unknown command %q (want title, preset, set, race, run, until, say or wait)", name, i+1, op)
		}
		l.Steps = append(l.Steps, st)
	}
	if len(l.Steps) == 0 {
		return nil, fmt.Errorf("lesson %s: no commands", name)
	}
	return l, nil
}

func checkSet(key, val string) error {
	switch key {
	case "optimizer":
		return engine.CheckOptimizer(val)
	case "init":
		return engine.CheckInit(val)
	case "activation":
		_, err := engine.ParseActivation(val)
		return err
	case "lr":
		v, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return fmt.Errorf("lr %q is not a number", val)
		}
		return engine.CheckLR(v)
	case "batch":
		v, err := strconv.Atoi(val)
		if err != nil || v < 1 || v > engine.MaxBatch {
			return fmt.Errorf("batch %q: want 1 to %d", val, engine.MaxBatch)
		}
		return nil
	case "seed":
		if _, err := strconv.ParseUint(val, 10, 64); err != nil {
			return fmt.Errorf("seed %q: want a whole number ≥ 0", val)
		}
		return nil
	}
	return fmt.Errorf("unknown setting %q (want optimizer, init, lr, batch, activation or seed)", key)
}

// GetLesson returns a built-in lesson by name, or reads a lesson file.
func GetLesson(nameOrPath string) (*Lesson, error) {
	for _, l := range Lessons {
		if l.Name == nameOrPath {
			return l, nil
		}
	}
	if strings.ContainsAny(nameOrPath, "/.") {
		data, err := os.ReadFile(nameOrPath)
		if err != nil {
			return nil, err
		}
		return ParseLesson(nameOrPath, string(data))
	}
	return nil, fmt.Errorf("unknown lesson %q (known: %s; or give a lesson file's path)", nameOrPath, strings.Join(LessonNames(), ", "))
}

// LessonNames lists the built-in lessons.
func LessonNames() []string {
	out := make([]string, len(Lessons))
	for i, l := range Lessons {
		out[i] = l.Name
	}
	return out
}

// Player steps through a lesson on a session. A driver calls Advance; while
// Training is true it trains and calls Check; while Waiting is true it shows
// Caption and calls Continue when the presenter presses space.
type Player struct {
	Lesson   *Lesson
	Session  *engine.Session
	Label    string // the preset the lesson last started from
	Caption  string
	Waiting  bool
	Training bool
	Done     bool
	pc       int
	stopAt   int64 // training: the step (of lane A) at which to stop regardless
	cond     Step
}

// NewPlayer starts a lesson on a session.
func NewPlayer(l *Lesson, s *engine.Session, label string) *Player {
	return &Player{Lesson: l, Session: s, Label: label}
}

// Advance runs instant commands until the lesson must train, wait or end.
func (p *Player) Advance() error {
	for !p.Done && !p.Waiting && !p.Training {
		if p.pc >= len(p.Lesson.Steps) {
			p.Done = true
			return nil
		}
		st := p.Lesson.Steps[p.pc]
		p.pc++
		if err := p.exec(st); err != nil {
			p.Done = true
			return fmt.Errorf("lesson %s line %d: %v", p.Lesson.Name, st.Line, err)
		}
	}
	return nil
}

func (p *Player) exec(st Step) error {
	s := p.Session
	main := s.Main()
	switch st.Op {
	case "say":
		p.Caption = st.Arg
	case "wait":
		p.Waiting = true
	case "preset":
		pr, _ := Get(st.Arg)
		cfg := pr.Config
		cfg.Seed = main.Config().Seed
		t, err := engine.New(cfg)
		if err != nil {
			return err
		}
		s.Replace(t)
		p.Label = pr.Name
	case "set":
		switch st.Arg {
		case "optimizer":
			for _, l := range s.Lanes {
				_ = l.SetOptimizer(st.Value)
			}
		case "lr":
			v, _ := strconv.ParseFloat(st.Value, 64)
			for _, l := range s.Lanes {
				_ = l.SetLR(v)
			}
		case "batch":
			v, _ := strconv.Atoi(st.Value)
			return s.SetBatch(v)
		case "init":
			return s.Reinit(st.Value)
		case "activation":
			return s.SetActivation(st.Value)
		case "seed":
			v, _ := strconv.ParseUint(st.Value, 10, 64)
			s.Reset(v)
		}
	case "race":
		if st.Arg == "off" {
			s.EndRace(0)
			return nil
		}
		lanes, _ := engine.ParseLanes(st.Arg)
		return s.Race(lanes, 0)
	case "run":
		p.Training, p.cond = true, Step{Cond: "step", Limit: float64(s.Step() + st.N)}
		p.stopAt = s.Step() + st.N
	case "until":
		p.Training, p.cond = true, st
		p.stopAt = s.Step() + st.N
	}
	return nil
}

// Remaining is how many steps the current training command may still take.
func (p *Player) Remaining() int64 {
	if !p.Training {
		return 0
	}
	return max(p.stopAt-p.Session.Step(), 0)
}

// Check ends a training command once its condition holds (on lane A), its
// cap is reached, or every lane has diverged.
func (p *Player) Check() {
	if !p.Training {
		return
	}
	main := p.Session.Main()
	done := p.Session.Step() >= p.stopAt || p.Session.AllDiverged()
	switch p.cond.Cond {
	case "step":
		done = done || float64(p.Session.Step()) >= p.cond.Limit
	case "mse":
		done = done || main.Metrics().MSEAbove001 < p.cond.Limit
	case "collapsed":
		done = done || engine.Diagnose(main.Snapshot()).Status == engine.StatusCollapsed
	case "converged":
		done = done || engine.Diagnose(main.Snapshot()).Status == engine.StatusConverged
	}
	if done {
		p.Training = false
	}
}

// Continue is the presenter's space.
func (p *Player) Continue() { p.Waiting = false }
