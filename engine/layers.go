package engine

// The layer kernels, llm.c style: plain functions over flat row-major slices,
// shapes in the comment, backward accumulating into parameter gradients.
// B is the batch size, I a layer's input width and O its output width.

// linearForward computes out = in·wᵀ + bias.
//
//	in (B,I), w (O,I) — PyTorch's Linear.weight layout —, bias (O), out (B,O)
//	out[b,o] = bias[o] + Σ_i in[b,i]·w[o,i]
func linearForward(out, in, w, bias []float64, B, I, O int) {
	if I == 1 {
		// The first layer: one input, so each output is one multiply-add.
		w = w[:O]
		bias = bias[:O]
		for b := 0; b < B; b++ {
			x := in[b]
			row := out[b*O : b*O+O]
			for o := range row {
				row[o] = bias[o] + x*w[o]
			}
		}
		return
	}
	for b := 0; b < B; b++ {
		x := in[b*I : b*I+I]
		row := out[b*O : b*O+O]
		for o := range row {
			row[o] = bias[o] + dot(x, w[o*I:o*I+I])
		}
	}
}

// linearBackward accumulates the parameter gradients and writes the input gradient.
//
//	dout (B,O), in (B,I), w (O,I); dw (O,I) +=, db (O) +=, din (B,I) = (nil to skip)
//	dw[o,i] += Σ_b dout[b,o]·in[b,i]
//	db[o]   += Σ_b dout[b,o]
//	din[b,i] = Σ_o dout[b,o]·w[o,i]
func linearBackward(dw, db, din, dout, in, w []float64, B, I, O int) {
	if O == 1 && din != nil {
		// The output layer: one fused pass per sample, no per-output loop.
		dw, w = dw[:I], w[:I]
		for b, g := range dout[:B] {
			db[0] += g
			x := in[b*I : b*I+I]
			d := din[b*I : b*I+I]
			for i, xi := range x {
				dw[i] += g * xi
				d[i] = g * w[i]
			}
		}
		return
	}
	for b := 0; b < B; b++ {
		x := in[b*I : b*I+I]
		g := dout[b*O : b*O+O]
		for o, gv := range g {
			db[o] += gv
			axpy(dw[o*I:o*I+I], gv, x)
		}
		if din == nil {
			continue
		}
		d := din[b*I : b*I+I]
		clear(d)
		for o, gv := range g {
			axpy(d, gv, w[o*I:o*I+I])
		}
	}
}

// mseLoss returns L = (1/B) Σ_b (pred[b] − y[b])² and writes dpred = ∂L/∂pred.
//
//	pred (B), y (B), dpred (B)
func mseLoss(dpred, pred, y []float64) float64 {
	n := len(pred)
	y = y[:n]
	dpred = dpred[:n]
	scale := 2 / float64(n)
	var sum float64
	for b, p := range pred {
		d := p - y[b]
		sum += d * d
		dpred[b] = scale * d
	}
	return sum / float64(n)
}

// dot returns Σ a[i]·b[i]. Four independent accumulators let the CPU
// overlap the additions instead of waiting on one long dependency chain.
func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpy does y += alpha·x.
func axpy(y []float64, alpha float64, x []float64) {
	x = x[:len(y)]
	for i := range y {
		y[i] += alpha * x[i]
	}
}
