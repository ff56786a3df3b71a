package presets

import (
	"lnfit/engine"
	"lnfit/engine/runner"
)

// The built-in lessons, in the script format described in engine/runner/lesson.go. Each
// caption says only what the measured runs show (see README.md).

const seedStory = `
title The seed's story: why the net only predicts −1
preset question
say The question's net: weights AND biases drawn from U[0,1), plain SGD at lr 0.01, batch 50. Watch the first steps.
wait
run 1
say One step. The output started near +60 to +130 against targets near −1, so the gradient was huge, and this single update pushed every first-layer ReLU below zero for all x in (0,1]. Look at "dead ReLU".
wait
until collapsed max 20000
show lab
say Collapsed. The init lab shows why: every W1 and z1(x) started above 0, and after one step no z1(x) is above 0 on (0,1]. A dead ReLU gets zero gradient from every x, so nothing can revive it; only the output bias still learns, and it settles on the mean of ln x over (0,1]: −1.
wait
show fit
set init normal
say Same SGD, same lr, same batches — only the init changed: truncated normal σ 0.1, biases 0.1. Small weights mean a small first step.
wait
until mse<0.01 max 50000
say It learns. The initialization was the problem, not TensorFlow and not SGD.
wait
race sgd,adam
say Now a fair race from these very weights on the very same batches: SGD 0.01 against Adam 0.001.
wait
run 20000
say Both fit ln(x); the steep end near 0 is the hardest part, and it dominates the MSE.
wait
race off
preset question
show map
say Where exactly is the cliff? The collapse map of the question's net: learning rate across, init scale up, a few seeds per cell (× collapsed, ~ learning). Measured with 8 seeds of 2,000 steps: with U[0,1) weights SGD collapses from lr 6e-4 on (6 of 8 seeds) and always from 3e-3; at lr 0.01 it collapses from init scale 0.48 on (4 of 8 seeds) and in 7 or 8 of 8 from 0.53.
`

const optimizersLesson = `
title Optimizers, raced fairly
preset question-normal-init
say Four optimizers start from the same weights and see the same batches, each at its usual learning rate: SGD and momentum at 0.01, RMSProp and Adam at 0.001.
race sgd:0.01,momentum:0.01,rmsprop:0.001,adam:0.001
wait
run 3000
say After 3,000 steps. Each lane's MSE on x ≥ 0.01 is in the header; the loss plot shows every lane.
wait
run 20000
say After 23,000 steps. Same data, same start: the differences are the optimizers' as they are usually run, at their usual (different) learning rates — not at equal step sizes. Press tab and + or - to change one lane's rate.
`

const activationsLesson = `
title Activations from the question's init
preset question
say ReLU from the question's init: the first SGD step kills every unit.
wait
until collapsed max 5000
say Collapsed to −1.
wait
set activation leaky-relu
say Leaky ReLU, same init: the leak keeps the giant gradients flowing — and the run diverges instead of dying.
wait
run 50
say Diverged (or about to): a leak is no cure for a step that is far too large.
wait
set activation tanh
say tanh, same init: no unit dies, but every unit saturates at +1 for every x.
wait
run 10000
say Just as constant as ReLU: saturation is tanh's way of dying. The init is what matters — press i.
`

// LessonText is a built-in lesson's script; engine/runner parses and plays it.
type LessonText struct{ Name, Text string }

// LessonTexts is every built-in lesson, in the order lists show them.
var LessonTexts = []LessonText{
	{"seed-story", seedStory},
	{"optimizers", optimizersLesson},
	{"activations", activationsLesson},
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
