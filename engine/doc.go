// Package engine is lnfit's trainer: a hand-written MLP that learns
// y = ln(x) on (0,1], and everything a driver needs around it. It uses the
// standard library only and knows nothing about terminals.
//
// Reading order, from the definition of the network to the drivers' view:
//
//	network.go     the net: sizes [1, h1, …, 1], parameters in one flat slice, forward and backward
//	layers.go      the layer kernels (llm.c style): linear forward/backward, the MSE loss
//	activation.go  ReLU, leaky ReLU, tanh, sigmoid and their derivatives
//	init.go        the initializers: uniform (the question's), normal (the answer's), xavier, he
//	optim.go       the optimizers: SGD, momentum, Nesterov, RMSProp, Adagrad, Adam (optim_amd64.s: their vector kernels)
//	trainer.go     one run: batches from seeded streams, a step, Run; record.go is what a run accumulates
//	fast.go        the fast path for the 1-D input: the same gradient in O((B+H1)·H2)
//	               (fast_kernels.go: its loops; fast_amd64.s, fast12_amd64.s: the same in AVX2, bit for bit)
//	metrics.go     what is measured on the 1000-point grid; Snapshot, a plain copy for views
//	diagnosis.go   a run's state in plain words: collapsed, saturated, learning, converged, diverged
//	history.go     the whole run's loss in bounded memory
//	settings.go    every setting declared once: flags, tokens, lessons and summaries read this table
//	config.go      Config and the limits that involve several settings
//	session.go     one run or a fair race of lanes; the only way drivers change a run
//	token.go       shareable config tokens; save.go and files.go: networks on disk
//	text.go        text from outside is checked or escaped here before it reaches a terminal
//
// Subpackage runner is the one loop that advances a session and a lesson.
package engine
