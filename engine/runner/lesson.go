package runner

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"lnfit/engine"
)

// A lesson is a script, one command a line. presets/lessons.go holds the
// built-in texts and --lesson FILE reads the same format:
//
//	title TEXT              the lesson's title
//	preset NAME             start over from a preset (same seed as now)
//	set KEY VALUE [lane X]  any setting of the table (engine/settings.go); optimizer and
//	                        lr change every lane, or lane X (A–D) only; init, activation,
//	                        hidden, xmin, data and seed restart from step 0
//	race OPT[:LR],OPT[:LR]… fork 2–4 lanes from the current weights (same batches)
//	race off                keep lane A only
//	run N                   train N more steps
//	until COND [max N]      train until collapsed | converged | diverging | mse<V | step>=N (at most N more steps;
//	                        default 200000); diverging: lane A's loss grows as the verdict's "diverging" says, or it diverged
//	say TEXT                show a caption; {figure}s in it are computed when it is shown
//	                        (caption.go: {step}, {mse_above_0_01}, {dead.1}, {mean_pred.B} …)
//	expect COND             what must hold for the next say, checked when it is shown:
//	                        collapsed, not learning, diverged.B (a status; see engine.Status)
//	                        or FIGURE<V, >V, <=V, >=V, =V (mse_above_0_01<0.01, dead.1=all);
//	                        if it does not hold, the caption is replaced by one computed line
//	                        saying what happened instead, and the lesson goes on
//	wait                    wait for the presenter (space); headless goes straight on
//	rewind STEP [back N]    branch the run from the timeline's moment at STEP: in the run on
//	                        screen, or in the run N restarts back (a set init, a preset…)
//	speed ramp|max|N        the dashboard's pace: the first-minute ramp, full speed, or N steps a frame
//	show fit|lab|error|map  the dashboard's panel: the plots, the init lab, the error view, the collapse map;
//	                        show units: the units room (every hidden unit's kink and output)
//	challenge mse<V [max N] a broadcast class's race from here (challenge.go): every fork's clock
//	                        starts, the teacher's class room ranks them; challenge off ends it.
//	                        Only a teacher's dashboard plays it: elsewhere the lesson is refused
//	                        when it is loaded (Lesson.Challenges says where)
//
// Blank lines and lines starting with # are skipped; commands other than say
// and title may end in a "# comment".

// Command is one parsed line.
type Command struct {
	Line  int
	Op    string // title, preset, set, race, run, until, rewind, say, wait
	Arg   string
	Value string
	Lane  int           // set: engine.AllLanes or a lane index
	Lanes []engine.Lane // race: the lanes (nil: race off)
	N     int64         // run: steps; until: the cap
	Cond  string        // until: collapsed, converged, diverging, mse, step
	Limit float64       // until mse<V: V; until step>=N: N
	Back  int           // rewind: how many restarts back the run is (0: the one on screen)
	// say: the expect lines just before it, and its text split into
	// literal parts and figures.
	Expects []Expect
	caption []captionPart
	Start   engine.Config // preset: the preset's configuration (Arg is its label), resolved when parsed
	Race    *Challenge    // challenge: the race (nil: challenge off)
}

// PresetFunc resolves a lesson's "preset NAME": the preset's label and a
// configuration the lesson may keep. Package presets has the real one.
type PresetFunc func(name string) (label string, cfg engine.Config, err error)

// Library is what lessons are played with: the presets they may name and
// the built-in lessons. Package presets hands its own to UseLibrary when it
// is linked in, so this package imports nothing above the engine.
type Library struct {
	Presets PresetFunc
	Lessons []*Lesson
}

var library Library

// UseLibrary makes l the presets that ParseLesson and GetLesson resolve and
// the built-in lessons that Lessons lists (package presets calls it from
// init; a program without presets has no built-in lessons).
func UseLibrary(l Library) {
	library = l
	Lessons = l.Lessons
}

// Lesson is a named, parsed script.
type Lesson struct {
	Name, Title string
	Commands    []Command
}

const (
	defaultUntilCap = 200_000
	maxLessonSteps  = 10_000_000
	maxLessonLines  = 1000
)

// ParseLesson reads a lesson script with the library's presets (see
// UseLibrary), naming the line and what is wrong.
func ParseLesson(name, text string) (*Lesson, error) {
	return ParseLessonWith(name, text, library.Presets)
}

// ParseLessonWith reads a lesson script whose "preset NAME" lines are
// resolved by presets (nil: a lesson may name no preset).
func ParseLessonWith(name, text string, presets PresetFunc) (*Lesson, error) {
	shownName := engine.ShortText(name, 80)
	l := &Lesson{Name: name, Title: name}
	text = strings.TrimSuffix(text, "\n") // a final newline ends the last line; it is not a line of its own
	lines := strings.Split(text, "\n")
	if len(lines) > maxLessonLines {
		return nil, fmt.Errorf("lesson %s: %d lines; a lesson has at most %d", shownName, len(lines), maxLessonLines)
	}
	var pending []Expect // expect lines waiting for their say
	pendingLine := 0
	for i, raw := range lines {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		op, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		bad := func(format string, a ...any) error {
			return fmt.Errorf("lesson %s line %d (%s): %s", shownName, i+1, engine.ShortText(op, 20), fmt.Sprintf(format, a...))
		}
		if err := engine.CheckText("the line", line, engine.MaxTextLen+20); err != nil {
			return nil, bad("%v", err)
		}
		if op != "say" && op != "title" { // a trailing "# comment"; captions may use #
			if i := strings.Index(" "+rest, " #"); i >= 0 {
				rest = strings.TrimSpace((" " + rest)[:i])
			}
		}
		c := Command{Line: i + 1, Op: op, Lane: engine.AllLanes}
		if op == "expect" {
			e, err := parseExpect(rest)
			if err != nil {
				return nil, bad("%v", err)
			}
			if len(pending) == 0 {
				pendingLine = i + 1
			}
			pending = append(pending, e)
			continue
		}
		if len(pending) > 0 && op != "say" {
			return nil, bad("the expect on line %d must come just before the say it is for", pendingLine)
		}
		switch op {
		case "title", "say":
			if rest == "" {
				return nil, bad("needs the text")
			}
			if err := engine.CheckText("the text", rest, engine.MaxTextLen); err != nil {
				return nil, bad("%v", err)
			}
			if op == "title" {
				l.Title = rest
				continue
			}
			parts, err := parseCaption(rest)
			if err != nil {
				return nil, bad("%v", err)
			}
			c.Arg, c.caption, c.Expects, pending = rest, parts, pending, nil
		case "wait":
			if rest != "" {
				return nil, bad("takes nothing after it")
			}
		case "preset":
			if presets == nil {
				return nil, bad("this program knows no presets")
			}
			label, cfg, err := presets(rest)
			if err != nil {
				return nil, bad("%v", err)
			}
			c.Arg, c.Start = label, cfg
		case "set":
			key, val, _ := strings.Cut(rest, " ")
			val = strings.TrimSpace(val)
			if v, lane, ok := strings.Cut(val, " lane "); ok {
				lane = strings.TrimSpace(lane)
				if len(lane) != 1 || lane[0] < 'A' || lane[0] >= 'A'+engine.MaxLanes {
					return nil, bad("lane %s: want A to %c", engine.QuoteValue(lane), 'A'+engine.MaxLanes-1)
				}
				val, c.Lane = strings.TrimSpace(v), int(lane[0]-'A')
			}
			st, ok := engine.LookupSetting(key)
			if !ok {
				return nil, bad("unknown setting %s (want one of %s)", engine.QuoteValue(key), strings.Join(engine.SettingNames(), ", "))
			}
			if c.Lane != engine.AllLanes && !st.PerLane {
				return nil, bad("%s is the same for every lane; only optimizer and lr take a lane", key)
			}
			probe := engine.DefaultConfig()
			if err := st.Apply(&probe, val); err != nil {
				return nil, bad("%v", err)
			}
			c.Arg, c.Value = key, val
		case "race":
			c.Arg = rest
			if rest != "off" {
				lanes, err := engine.ParseLanes(rest, engine.Config{})
				if err != nil {
					return nil, bad("%v", err)
				}
				for i := range lanes { // no lr given: the lane's optimizer's last (fork decides)
					if !strings.Contains(strings.Split(rest, ",")[i], ":") {
						lanes[i].LR = 0
					}
				}
				c.Lanes = lanes
			}
		case "speed":
			if !validSpeed(rest) {
				return nil, bad("%s: want ramp, max or one of 1, 2, 5, 10, 100, 1000 (steps a frame)", engine.QuoteValue(rest))
			}
			c.Arg = rest
		case "show":
			if rest != "fit" && rest != "lab" && rest != "error" && rest != "map" && rest != "units" {
				return nil, bad("%s: want fit, lab, error, map or units", engine.QuoteValue(rest))
			}
			c.Arg = rest
		case "challenge":
			c.Arg = rest
			if rest != "off" {
				ch, err := ParseChallenge(rest)
				if err != nil {
					return nil, bad("%v, or off", err)
				}
				c.Race = &ch
			}
		case "rewind":
			stepText, backText, hasBack := strings.Cut(rest, " back ")
			n, err := strconv.ParseInt(strings.TrimSpace(stepText), 10, 64)
			if err != nil || n < 0 || n > maxLessonSteps {
				return nil, bad("%s is not a step from 0 to %d", engine.QuoteValue(stepText), maxLessonSteps)
			}
			c.N = n
			if hasBack {
				b, err := strconv.Atoi(strings.TrimSpace(backText))
				if err != nil || b < 0 || b > 100 {
					return nil, bad("back %s: want a count of restarts from 0 to 100", engine.QuoteValue(backText))
				}
				c.Back = b
			}
		case "run":
			n, err := strconv.ParseInt(rest, 10, 64)
			if err != nil || n < 1 || n > maxLessonSteps {
				return nil, bad("%s is not a step count from 1 to %d", engine.QuoteValue(rest), maxLessonSteps)
			}
			c.N = n
		case "until":
			cond, capText, hasCap := strings.Cut(rest, " max ")
			c.N = defaultUntilCap
			if hasCap {
				n, err := strconv.ParseInt(strings.TrimSpace(capText), 10, 64)
				if err != nil || n < 1 || n > maxLessonSteps {
					return nil, bad("max %s is not a step count from 1 to %d", engine.QuoteValue(capText), maxLessonSteps)
				}
				c.N = n
			}
			cond = strings.TrimSpace(cond)
			switch {
			case cond == "collapsed" || cond == "converged" || cond == "diverging":
				c.Cond = cond
			case strings.HasPrefix(cond, "mse<"):
				v, err := strconv.ParseFloat(cond[4:], 64)
				if err != nil || !(v > 0) || math.IsInf(v, 0) {
					return nil, bad("%s: want mse<V with V > 0, e.g. mse<1e-3", engine.QuoteValue(cond))
				}
				c.Cond, c.Limit = "mse", v
			case strings.HasPrefix(cond, "step>="):
				v, err := strconv.ParseInt(cond[6:], 10, 64)
				if err != nil || v < 0 || v > maxLessonSteps {
					return nil, bad("%s: want step>=N with 0 ≤ N ≤ %d", engine.QuoteValue(cond), maxLessonSteps)
				}
				c.Cond, c.Limit = "step", float64(v)
			default:
				return nil, bad("unknown condition %s (want collapsed, converged, diverging, mse<V or step>=N)", engine.QuoteValue(cond))
			}
		default:
			return nil, fmt.Errorf("lesson %s line %d: unknown command %s (want title, preset, set, race, run, until, rewind, expect, say, wait, speed, show or challenge)",
				shownName, i+1, engine.QuoteValue(op))
		}
		l.Commands = append(l.Commands, c)
	}
	if len(pending) > 0 {
		return nil, fmt.Errorf("lesson %s line %d (expect): no say follows it", shownName, pendingLine)
	}
	if len(l.Commands) == 0 {
		return nil, fmt.Errorf("lesson %s: no commands", shownName)
	}
	return l, nil
}

// parseExpect reads an expect line's condition (caption.go evaluates it).
func parseExpect(rest string) (Expect, error) {
	if rest == "" {
		return Expect{}, fmt.Errorf("needs a condition, e.g. expect collapsed or expect mse_above_0_01<0.01")
	}
	return parseCondition(rest)
}

// Speeds a lesson may ask for, in steps a frame (the dashboard's rungs).
var lessonSpeeds = []string{"ramp", "max", "1", "2", "5", "10", "100", "1000"}

func validSpeed(s string) bool {
	for _, v := range lessonSpeeds {
		if v == s {
			return true
		}
	}
	return false
}

// Lessons is every built-in lesson, parsed: the library's (see UseLibrary).
var Lessons []*Lesson

// GetLesson returns a built-in lesson by name, or reads a lesson file (a
// regular file of at most engine.MaxLessonFile bytes).
func GetLesson(nameOrPath string) (*Lesson, error) {
	for _, l := range Lessons {
		if l.Name == nameOrPath {
			return l, nil
		}
	}
	if strings.ContainsAny(nameOrPath, "/.") {
		data, err := engine.ReadFileCapped(nameOrPath, engine.MaxLessonFile)
		if err != nil {
			return nil, err
		}
		return ParseLesson(nameOrPath, string(data))
	}
	if len(Lessons) == 0 {
		return nil, fmt.Errorf("unknown lesson %s (there are no built-in lessons here; give a lesson file's path)", engine.QuoteValue(nameOrPath))
	}
	return nil, fmt.Errorf("unknown lesson %s (known: %s; or give a lesson file's path)",
		engine.QuoteValue(nameOrPath), strings.Join(LessonNames(), ", "))
}

// LessonNames lists the built-in lessons.
func LessonNames() []string {
	out := make([]string, len(Lessons))
	for i, l := range Lessons {
		out[i] = l.Name
	}
	return out
}

// rewinds reports whether the lesson has a rewind command.
func (l *Lesson) rewinds() bool {
	for _, c := range l.Commands {
		if c.Op == "rewind" {
			return true
		}
	}
	return false
}
