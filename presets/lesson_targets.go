package presets

// otherFunctions is the lesson on other targets (issue 24): the question's
// collapse is its init's doing on any target, and what a ReLU net finds
// easy (one kink) or hard (ln's steep end). Its expects hold on seeds 1–5.
const otherFunctions = `
title Other functions: the collapse is the init's, not ln's
preset sin-question
say The question's init and {optimizer} at lr {lr}, but the target is one period of a sine wave instead of ln x. net(x) starts at {pred_min} to {pred_max}: far above a target that never gets far from zero.
wait
until collapsed max 20000
expect collapsed
expect dead.1=all
say Collapsed at step {step}: every first-layer ReLU is dead, and net(x) is {mean_pred} for every x, heading for the mean of the target, {best_constant}. The same collapse as the question's: the init did it, whatever the function.
wait
preset abs-kink
say The answer's init and {optimizer} at lr {lr} on abs, a V with its tip in the middle of the domain: a ReLU net is a line with kinks, and this target is two lines with one kink.
wait
until mse<1e-5 max 10000
show units
expect mse_above_0_01<1e-5
expect net_kinks>0
say mse {mse_above_0_01} on the whole domain at step {step}: one kink at the tip is all it needs. The units room, open now, lists every unit by its kink x = −b/w: {kinks.1} units of layer 1 bend inside the domain, and net(x) has {net_kinks} kinks in all.
wait
show fit
set target square
say Now x², from a fresh start with the same init and batches: smooth, with no steep end near 0 to chase.
wait
until mse<1e-4 max 60000
expect mse_above_0_01<1e-4
say mse {mse_above_0_01} at step {step}, on the whole domain. The answer's figure for ln x leaves out the points nearest 0, where ln x plunges to −∞ and no handful of straight pieces follows it: that steep end is what makes the question's target hard.
wait
`
