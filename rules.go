package main

import "strings"

// rule is one flag combination the command refuses: a flag that needs
// another (any of needs) or excludes others. Every such rule is in rules,
// checked in one place (checkRules) before anything else is done; what
// depends on the environment (a terminal for the dashboard) is not here.
type rule struct {
	flag     string
	needs    []string // at least one of these must be given too
	excludes []string // none of these may be given with it
	msg      string   // the one line; {flag} is the flag, {other} the other
}

var serveOnly = []string{"broadcast", "max-sessions", "idle-timeout", "max-session", "class-code", "authorized-keys", "host-key"}

var rules = func() []rule {
	r := []rule{
		{flag: "config", excludes: []string{"load"}, msg: "--config and --load both set the starting point: give one"},
		{flag: "config", excludes: []string{"preset"}, msg: "--config and --preset both set the starting point: give one (setting flags such as --lr may go with either)"},
	}
	for _, f := range []string{"json", "until", "steps"} {
		r = append(r, rule{flag: f, needs: []string{"headless"}, msg: "--json, --until and --steps go with --headless"})
	}
	for _, f := range serveOnly {
		r = append(r, rule{flag: f, needs: []string{"serve", "web"}, msg: "--{flag} goes with --serve ADDR or --web ADDR"})
	}
	return append(r,
		rule{flag: "serve", excludes: []string{"headless"}, msg: "--serve and --headless: a server draws dashboards; give one"},
		rule{flag: "web", excludes: []string{"headless"}, msg: "--web and --headless: a server draws dashboards; give one"},
		rule{flag: "web", excludes: []string{"authorized-keys"}, msg: "--web and --authorized-keys: a browser has no SSH key; give --class-code WORD for both doors"},
		rule{flag: "challenge", needs: []string{"broadcast"}, msg: "--challenge is raced by forks of the teacher's run: it goes with --broadcast"},
		rule{flag: "seeds", needs: []string{"map"}, msg: "--seeds goes with --map"},
		rule{flag: "map", needs: []string{"headless"}, msg: "--map goes with --headless (in the dashboard, m opens the map)"},
		rule{flag: "map", excludes: []string{"lesson", "compare", "load"}, msg: "--map trains its own short runs: it goes with neither --lesson, --compare nor --load"},
		rule{flag: "map", excludes: []string{"save"}, msg: "--map trains many short runs and saves none: it does not go with --save"},
		rule{flag: "map", excludes: []string{"until"}, msg: "--map runs every cell for --steps: it does not go with --until"},
		rule{flag: "lesson", excludes: []string{"steps", "until"}, msg: "--lesson and --{other}: a lesson says how long it trains"},
		rule{flag: "load", excludes: []string{"init", "init-scale"}, msg: "--load and --{other}: a loaded network keeps the weights it was saved with, so --{other} would change nothing but its label"},
		rule{flag: "classroom", excludes: []string{"headless"}, msg: "--classroom is the dashboard's projector layout: it does not go with --headless"},
	)
}()

// checkRules refuses the first broken rule, in the table's order.
func checkRules(set map[string]bool) error {
	for _, r := range rules {
		if !set[r.flag] {
			continue
		}
		if len(r.needs) > 0 {
			ok := false
			for _, n := range r.needs {
				ok = ok || set[n]
			}
			if !ok {
				return r.broken(r.needs[0])
			}
		}
		for _, x := range r.excludes {
			if set[x] {
				return r.broken(x)
			}
		}
	}
	return nil
}

func (r rule) broken(other string) error {
	return usageError{strings.NewReplacer("{flag}", r.flag, "{other}", other).Replace(r.msg)}
}
