package presets

import (
	"lnfit/engine"
	"lnfit/engine/runner"
)

// The built-in lessons, in the script format described in engine/runner/lesson.go. Every
// number in a caption is a {figure} computed when it is shown, and every claim about the
// run's state has an expect line, so engine/runner's TestLessonsAreTrue can check them on
// seeds 1–5. Every caption ends in a wait, so the dashboard shows it until space.

const seedStory = `
title The seed's story: why the net only predicts −1
preset question
say The question's net: {init_desc}, plain {optimizer} at lr {lr}, batch {batch}. net(x) starts at {pred_min} to {pred_max}: far above ln x.
wait
show units
expect kinks.1=0
expect live_all.1=all
expect net_kinks=0
say Inside the net, unit by unit: each unit of layer 1 is a hinge relu(w·x + b) that bends at its kink x = −b/w. Units of layer 1 with a kink in (0,1]: {kinks.1}. Every kink lies left of 0, so {live_all.1} are live on all of (0,1], and net(x) has {net_kinks} kinks there: one straight line.
wait
run 1
expect dead.1=all
expect kinks.1=0
say One step. The error was huge, so was the gradient, and this single update pushed every first-layer ReLU below zero for all x in (0,1]: every hinge's live side has left (0,1], and the room draws them dead (×). Dead ReLU {dead.1} in layer 1, {dead.2} in layer 2; layer 1 died at step {died_at.1}. Look at "dead ReLU".
wait
until collapsed max 20000
show lab
expect collapsed
expect dead.1=all
say Collapsed at step {step}. The init lab shows why: every W1 and z1(x) started above 0, and now no z1(x) is above 0 on (0,1]. A dead ReLU gets zero gradient from every x, so nothing can revive it; only the output bias still learns: net(x) is {mean_pred} for every x, heading for the mean of ln x over (0,1], {best_constant}.
wait
run 2000
expect collapsed
expect mean_off<0.1
say Step {step}: net(x) is {mean_pred} for every x — the mean of ln x, the best a constant can do, and all a net with dead ReLUs can say. That is the question's constant.
wait
show fit
set init normal
say Same {optimizer}, same lr {lr}, same batch {batch} and the very same batches — only the init changed: {init_desc}. net(x) now starts between {pred_min} and {pred_max}: small weights, so a small first step.
wait
until mse<0.01 max 50000
expect mse_above_0_01<0.01
say It learns: mse {mse_above_0_01} on x ≥ 0.01 at step {step}, dead ReLU {dead.1} in layer 1. The initialization was the problem, not TensorFlow and not SGD.
wait
race sgd,adam
say Now a fair race from these very weights on the very same batches: {optimizer.A} at lr {lr.A} (lane A) against {optimizer.B} at lr {lr.B} (lane B).
wait
run 20000
expect mse_above_0_01<0.01
expect mse_above_0_01.B<0.01
expect steep_share>0.1
expect steep_share.B>0.1
say Both fit ln(x) at step {step}: mse on x ≥ 0.01 is {mse_above_0_01.A} for A and {mse_above_0_01.B} for B. The steep end near 0 is the hardest part: the few grid points below x = 0.01 hold {steep_share.A} of A's squared error and {steep_share.B} of B's.
wait
show units
expect kinks.1>0
say Lane A's units, fitted (tab shows lane B's): {kinks.1} units of layer 1 now bend inside (0,1], and {kinks_below_0_1} of the net's {net_kinks} kinks lie below x = 0.1, where ln x bends most. The best continuous line with {net_kinks} kinks reaches mse {reference_mse} on (0,1]; the net's is {mse}: what its kinks allow against what training found.
wait
rewind 1 back 1
expect dead.1=all
say Back on the timeline to step {step} of the question's run, the fix still fresh: the very same batch as the normal init's first step, but the uniform init's single update left dead ReLU {dead.1} in layer 1, and net(x) is {mean_pred} for every x. That single step was the collapse.
wait
race off
show fit
preset question
say Back to the question's setup: {optimizer} at lr {lr}, init-scale {init_scale}, {init_desc}. Where exactly is its cliff? Space opens the collapse map.
wait
show map
say The collapse map of the question's setup: lr across, init scale up; each cell shows its seeds' most common outcome and how many had it.
wait
`

const optimizersLesson = `
title Optimizers, raced fairly
preset question-normal-init
race sgd:0.01,momentum:0.01,rmsprop:0.001,adam:0.001
say Four optimizers start from the same weights and see the same batches, each at its usual learning rate: A {optimizer.A} {lr.A}, B {optimizer.B} {lr.B}, C {optimizer.C} {lr.C}, D {optimizer.D} {lr.D}.
wait
run 3000
say After {step} steps, mse on x ≥ 0.01: A {mse_above_0_01.A}, B {mse_above_0_01.B}, C {mse_above_0_01.C}, D {mse_above_0_01.D}. The loss plot shows every lane.
wait
run 20000
say After {step} steps: A {mse_above_0_01.A}, B {mse_above_0_01.B}, C {mse_above_0_01.C}, D {mse_above_0_01.D}. Same data, same start: the differences are the optimizers' as they are usually run, at their usual (different) learning rates — not at equal step sizes. Press tab and + or - to change one lane's rate.
wait
`

const activationsLesson = `
title Activations from the question's init
preset question
say ReLU from the question's init ({init_desc}, {optimizer} lr {lr}): net(x) starts between {pred_min} and {pred_max}, far above ln x. Watch the first steps.
wait
until collapsed max 5000
expect collapsed
expect dead.1=all
say Collapsed at step {step}: dead ReLU {dead.1} in layer 1, so net(x) is {mean_pred} for every x. Only the output bias still learns; watch it head for the mean of ln x, {best_constant}.
wait
run 2000
expect collapsed
expect mean_off<0.1
say Step {step}: net(x) is {mean_pred} for every x — the mean of ln x, the best a constant can do, and all a net with dead ReLUs can say.
wait
set activation leaky-relu
say Leaky ReLU, same init: below zero a leaky unit still passes a small gradient, so a unit pushed below zero can come back. net(x) starts between {pred_min} and {pred_max} again. Watch one step.
wait
run 1
expect not diverged
expect pred_max<0
expect dead.1=all
say One step: net(x) jumped from far above ln x to between {pred_min} and {pred_max}, below it: the step overshot. As with ReLU, {dead.1} first-layer units are below zero for every x (the "dead ReLU" count), but on the leak, where gradient still flows.
wait
run 50
expect diverged
say Diverged at step {diverged_at}: the steps kept overshooting until the numbers overflowed. The leak kept the gradient flowing, but a leak is no cure for a step that is far too large.
wait
set activation tanh
expect saturated.2=all
say tanh, same init: no unit dies, but before any step {saturated.2} units of layer 2 are saturated (|z| large for every x), so net(x) is the constant {mean_pred}.
wait
run 10000
expect saturated
expect saturated.2=all
say Step {step}: still constant at {mean_pred}, spread {spread}. The saturated units pass almost no gradient, so only the output layer learns: just as constant as the dead ReLUs. Saturation is tanh's way of dying. The init is what matters — press i.
wait
`

// LessonText is a built-in lesson's script; engine/runner parses and plays it.
type LessonText struct{ Name, Text string }

// LessonTexts is every built-in lesson, in the order lists show them.
var LessonTexts = []LessonText{
	{"seed-story", seedStory},
	{"optimizers", optimizersLesson},
	{"activations", activationsLesson},
	{"other-functions", otherFunctions}, // lesson_targets.go
}

// Resolve is a lesson's "preset NAME": the preset's name and a copy of its configuration.
func Resolve(name string) (string, engine.Config, error) {
	p, err := Get(name)
	return p.Name, p.Config, err
}

// Lessons is every built-in lesson, parsed with these presets.
var Lessons = func() []*runner.Lesson {
	out := make([]*runner.Lesson, 0, len(LessonTexts))
	for _, lt := range LessonTexts {
		l, err := runner.ParseLessonWith(lt.Name, lt.Text, Resolve)
		if err != nil {
			panic(err) // a broken built-in lesson is a bug; TestBuiltInLessonsRun says where
		}
		out = append(out, l)
	}
	return out
}()

// The runner plays lessons with these presets and lists these lessons
// (runner.ParseLesson, runner.GetLesson, runner.Lessons) in any program that
// links this package in.
func init() { runner.UseLibrary(runner.Library{Presets: Resolve, Lessons: Lessons}) }
