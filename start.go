package main

import (
	"strings"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/presets"
)

// start is where a run begins, resolved from the flags: a configuration and
// its label, race lanes, a lesson, and a network to load.
type start struct {
	label  string
	base   engine.Config // the starting point's own configuration, before setting flags
	config engine.Config
	lanes  []engine.Lane
	lesson *runner.Lesson
	net    *engine.Network // --load: the weights
	step   int64           // --load: the step they were saved at
}

// resolveStart decides where the run begins. The starting point is one of a
// preset (--preset, default question), a token (--config) or a saved network
// (--load); setting flags then override its values one by one. A token or a
// file is a starting point of its own, so giving one with --preset, or both
// together, is refused (by rules.go) rather than half-applied.
func resolveStart(o *options) (start, error) {
	var st start
	if near := nearMiss(o.preset, presets.Names()); near != "" {
		return st, usagef("--preset: unknown preset %q: did you mean %s?", o.preset, near)
	}
	p, err := presets.Get(o.preset)
	if err != nil {
		return st, usagef("--preset: %v", err)
	}
	st.label, st.config = p.Name, p.Config
	st.config.Seed = 1
	if o.token != "" {
		setup, err := engine.ParseToken(o.token)
		if err != nil {
			return st, usagef("--config: %v%s", err, tokenAdvice(err))
		}
		st.label, st.config, st.lanes = setup.Label, setup.Config, setup.Lanes
	}
	if o.load != "" {
		s, n, err := engine.LoadFile(o.load)
		if err != nil {
			return st, usagef("--load: %v", err)
		}
		st.net, st.step = n, s.Step
		if !o.set["preset"] {
			st.label, st.config = "loaded", s.Config.Clone()
		}
	}
	st.base = st.config.Clone()
	// --optimizer without --lr takes that optimizer's default rate.
	lrGiven := false
	for _, f := range o.settings {
		lrGiven = lrGiven || f.setting.Name == "lr"
	}
	for _, f := range o.settings {
		if err := f.setting.Apply(&st.config, f.value); err != nil {
			return st, usagef("--%v", err)
		}
		if f.setting.Name == "optimizer" && !lrGiven {
			st.config.LR = engine.DefaultLR[st.config.Optimizer]
		}
	}
	if o.points != "" { // the points set the target and the domain (issue 24)
		if o.set["target"] || o.set["domain"] || o.set["xmin"] {
			return st, usagef("--points: the points are the target and set the domain; drop --target, --domain and --xmin")
		}
		ps, err := engine.ReadPoints(o.points)
		if err != nil {
			return st, usagef("--points: %v", err)
		}
		ps.Use(&st.config)
	}
	if err := st.config.Validate(); err != nil {
		return st, usagef("%v", err)
	}
	if o.compare != "" {
		lanes, err := engine.ParseLanes(o.compare, st.config)
		if err != nil {
			return st, usagef("--compare: %v", err)
		}
		st.lanes = lanes
	}
	if o.lesson != "" {
		if near := nearMiss(o.lesson, runner.LessonNames()); near != "" && !strings.ContainsAny(o.lesson, "/.") {
			return st, usagef("--lesson: unknown lesson %s: did you mean %s?", engine.QuoteValue(o.lesson), near)
		}
		l, err := runner.GetLesson(o.lesson)
		if err != nil {
			return st, usagef("--lesson: %v", err)
		}
		if err := l.ErrChallengeSolo(); err != nil && !(o.serve != "" && o.broadcast) {
			return st, usagef("--lesson: %v", err) // only a teacher's class races it
		}
		st.lesson = l
	}
	if n := st.net; n != nil {
		if engine.HiddenString(n.Hidden()) != engine.HiddenString(st.config.Hidden) {
			return st, usagef("--load: the saved network has hidden sizes %s, but the configuration asks for %s",
				engine.HiddenString(n.Hidden()), engine.HiddenString(st.config.Hidden))
		}
		if n.Act.String() != st.config.Activation {
			return st, usagef("--load: the saved network uses %s, but the configuration asks for %s", n.Act, st.config.Activation)
		}
	}
	return st, nil
}

// nearMiss is the one name a mistyped name most likely meant, or "" when
// the name is known or nothing is near it.
func nearMiss(name string, known []string) string {
	for _, k := range known {
		if k == name {
			return ""
		}
	}
	return engine.NearMiss(name, known)
}

// session builds the session the run starts from.
func (st start) session() (*engine.Session, error) {
	tr, err := engine.New(st.config)
	if err != nil {
		return nil, usagef("%v", err)
	}
	if st.net != nil {
		if err := tr.LoadNetwork(st.net, st.step); err != nil {
			return nil, usagef("--load: %v", err)
		}
	}
	s := engine.NewSession(tr, st.label)
	s.SetOrigin(st.label, st.base)
	if len(st.lanes) > 0 {
		if err := s.Race(st.lanes, 0); err != nil {
			return nil, usagef("%v", err)
		}
	}
	return s, nil
}
