//go:build amd64 && !purego

package engine

// On amd64 with AVX2 the fast path's three loops run in fast_amd64.s, 4
// lanes at a time; fast_kernels.go has their scalar twins, which the
// kernels match bit for bit. The kernels trust their slices' lengths, so
// each call below is made only when the lengths are the ones they read.

//go:noescape
func lineTableAVX(s1, s0, w2t, d1, d0 *float64, order *int, up *bool, w1, b1 *float64, h1, st int)

//go:noescape
func fusedAVX(x, y *float64, n int, s1, s0, q1, q0, c2, w3, g3, thr *float64, start *int32, h1, st int, b3, scale, lo, bscale float64) (sse, gb3 float64)

//go:noescape
func backAVX(p1, p0, q1, q0, w2t, g2t *float64, order *int, up *bool, w1, b1, gw1, gb1 *float64, h1, st int)

// The same three for rows of exactly 12 lanes (fast12_amd64.s).

//go:noescape
func lineTable12AVX(s1, s0, w2t *float64, order *int, up *bool, w1, b1 *float64, h1 int)

//go:noescape
func fused12AVX(x, y *float64, n int, s1, s0, q1, q0, c2, w3, g3, thr *float64, start *int32, h1 int, b3, scale, lo, bscale float64) (sse, gb3 float64)

//go:noescape
func back12AVX(p1, p0, q1, q0, w2t, g2t *float64, order *int, up *bool, w1, b1, gw1, gb1 *float64, h1 int)

//go:noescape
func transposeAVX(dst, src *float64, rows, cols, sstride, dstride int, add bool)

func hasAVX2() bool

// shapeOK says the block's tables and the layer-0 slices have the sizes
// the kernels assume.
func (f *fastBlock) shapeOK(w1, b1 []float64) bool {
	return useAVX2 && f.H1 > 0 && len(w1) >= f.H1 && len(b1) >= f.H1 && f.st%4 == 0 &&
		len(f.order) == f.H1 && len(f.up) == f.H1 && len(f.w2t) == f.H1*f.st &&
		len(f.S1) == (f.H1+1)*f.st && len(f.S0) == len(f.S1) && len(f.Q1) == len(f.S1) && len(f.Q0) == len(f.S1) &&
		len(f.P1) == (f.H1+2)*f.st && len(f.P0) == len(f.P1) && len(f.g2t) == len(f.w2t) &&
		len(f.d1) == f.st && len(f.d0) == f.st
}

// lineTable fills S1, S0; the kernels read W2 transposed (f.w2t), which
// backFromQ then uses too.
func lineTable(f *fastBlock, w1, b1, W2 []float64) {
	if !f.shapeOK(w1, b1) || len(W2) != f.H1*f.H2 {
		lineTableGo(f, w1, b1, W2)
		return
	}
	transpose(f.w2t, W2, f.H2, f.H1, f.H1, f.st, false)
	if f.st == 12 {
		lineTable12AVX(&f.S1[0], &f.S0[0], &f.w2t[0], &f.order[0], &f.up[0], &w1[0], &b1[0], f.H1)
		return
	}
	lineTableAVX(&f.S1[0], &f.S0[0], &f.w2t[0], &f.d1[0], &f.d0[0], &f.order[0], &f.up[0], &w1[0], &b1[0], f.H1, f.st)
}

func fusedSamples(f *fastBlock, x, y []float64, b3, scale float64) (sse, gb3 float64) {
	ok := len(x) > 0 && len(y) >= len(x) && f.st <= maxFusedH2 && len(f.c2) == f.st && len(f.w3) == f.st &&
		len(f.g3) == f.st && len(f.thr) == f.H1 && f.shapeOK(f.thr, f.thr)
	if !ok {
		return fusedGo(f, x, y, b3, scale)
	}
	if f.st == 12 {
		return fused12AVX(&x[0], &y[0], len(x), &f.S1[0], &f.S0[0], &f.Q1[0], &f.Q0[0], &f.c2[0], &f.w3[0], &f.g3[0],
			&f.thr[0], &f.start[0], f.H1, b3, scale, f.lo, f.bscale)
	}
	return fusedAVX(&x[0], &y[0], len(x), &f.S1[0], &f.S0[0], &f.Q1[0], &f.Q0[0], &f.c2[0], &f.w3[0], &f.g3[0],
		&f.thr[0], &f.start[0], f.H1, f.st, b3, scale, f.lo, f.bscale)
}

// backFromQ adds ∂L/∂W2, ∂L/∂w1 and ∂L/∂b1 into gW2, gw1 and gb1; the
// kernels write ∂L/∂W2 transposed (f.g2t) and it is added back here.
func backFromQ(f *fastBlock, w1, b1, W2, gw1, gb1, gW2 []float64) {
	if !f.shapeOK(w1, b1) || len(gw1) < f.H1 || len(gb1) < f.H1 || len(W2) != f.H1*f.H2 || len(gW2) != len(W2) {
		backGo(f, w1, b1, W2, gw1, gb1, gW2)
		return
	}
	defer transpose(gW2, f.g2t, f.H1, f.H2, f.st, f.H1, true)
	if f.st == 12 {
		back12AVX(&f.P1[0], &f.P0[0], &f.Q1[0], &f.Q0[0], &f.w2t[0], &f.g2t[0], &f.order[0], &f.up[0],
			&w1[0], &b1[0], &gw1[0], &gb1[0], f.H1)
		return
	}
	backAVX(&f.P1[0], &f.P0[0], &f.Q1[0], &f.Q0[0], &f.w2t[0], &f.g2t[0], &f.order[0], &f.up[0],
		&w1[0], &b1[0], &gw1[0], &gb1[0], f.H1, f.st)
}

func hasAVX512() bool

func simdLevel() int {
	switch {
	case !hasAVX2():
		return pathScalar
	case !hasAVX512():
		return pathAVX2
	}
	return pathAVX512
}

// transpose sets dst[c·dstride + r] = src[r·sstride + c] (or adds it) for
// r < rows, c < cols: whole 4×4 blocks in transposeAVX, the edges here.
func transpose(dst, src []float64, rows, cols, sstride, dstride int, add bool) {
	r4, c4 := rows&^3, cols&^3
	if !useAVX2 || r4 == 0 || c4 == 0 || rows > 0 && len(src) < (rows-1)*sstride+cols ||
		cols > 0 && len(dst) < (cols-1)*dstride+rows || sstride < cols || dstride < rows {
		transposeGo(dst, src, 0, rows, 0, cols, sstride, dstride, add)
		return
	}
	transposeAVX(&dst[0], &src[0], r4, c4, sstride, dstride, add)
	transposeGo(dst, src, 0, r4, c4, cols, sstride, dstride, add)
	transposeGo(dst, src, r4, rows, 0, cols, sstride, dstride, add)
}
