package engine

// The fast path's three loops in plain Go: the reference for the vector
// kernels in fast_amd64.s and the path everywhere else. Each works on rows
// of st lanes (st a multiple of 4, the lanes past H2 zero) and does exactly
// the vector kernel's operations lane by lane, in the same order: sums
// across units are taken as four lane sums over the row's 4-lane chunks,
// then (l0+l2)+(l1+l3), as a vector's horizontal add does. Products are
// wrapped in float64(…) so that no compiler fuses them into an FMA, which
// rounds once where the kernels round twice.

// lineTableGo fills S1, S0: row r is the line of z2 on interval r, the sum
// of W2[:,k]·(w_k, b_k) over the up units below r (ascending) plus the down
// units at or above r (descending).
func lineTableGo(f *fastBlock, w1, b1 []float64) {
	H1, st := f.H1, f.st
	S1, S0 := f.S1, f.S0
	clear(S1[:st])
	clear(S0[:st])
	for p := 0; p < H1; p++ {
		o1, o0 := S1[p*st:(p+1)*st], S0[p*st:(p+1)*st]
		r1, r0 := S1[(p+1)*st:(p+2)*st], S0[(p+1)*st:(p+2)*st]
		k := f.order[p]
		if !f.up[p] {
			copy(r1, o1)
			copy(r0, o0)
			continue
		}
		wk, bk := w1[k], b1[k]
		w := f.w2t[k*st : (k+1)*st]
		for j := range r1 {
			r1[j] = o1[j] + float64(w[j]*wk)
			r0[j] = o0[j] + float64(w[j]*bk)
		}
	}
	D1, D0 := f.d1, f.d0
	clear(D1)
	clear(D0)
	for p := H1 - 1; p >= 0; p-- {
		if k := f.order[p]; !f.up[p] {
			wk, bk := w1[k], b1[k]
			w := f.w2t[k*st : (k+1)*st]
			for j := range D1 {
				D1[j] += float64(w[j] * wk)
				D0[j] += float64(w[j] * bk)
			}
		}
		r1, r0 := S1[p*st:(p+1)*st], S0[p*st:(p+1)*st]
		for j := range r1 {
			r1[j] += D1[j]
			r0[j] += D0[j]
		}
	}
}

// fusedGo is the per-sample loop of the shape [1, H1, H2, 1]: z2 from the
// sample's interval line, ReLU, the output, the loss, and the backward into
// g3 (∂L/∂W3) and the interval sums Q. It returns Σ d² and Σ ∂L/∂pred.
// A unit that is off adds nothing to g3 or Q: the kernel adds +0 there,
// which leaves every sum as it is (a sum that starts at +0 never becomes −0).
func fusedGo(f *fastBlock, x, y []float64, b3, scale float64) (sse, gb3 float64) {
	st := f.st
	c2, w3, g3, z := f.c2[:st], f.w3[:st], f.g3[:st], f.z[:st]
	for b, xv := range x {
		r := f.rankOf(xv)
		s1, s0 := f.S1[r*st:(r+1)*st], f.S0[r*st:(r+1)*st]
		var acc [4]float64
		for j := range z {
			v := c2[j] + float64(xv*s1[j]) + s0[j]
			z[j] = v
			a := 0.0
			if v > 0 {
				a = v
			}
			if t := float64(w3[j] * a); j < 4 {
				acc[j] = t
			} else {
				acc[j&3] += t
			}
		}
		d := b3 + ((acc[0] + acc[2]) + (acc[1] + acc[3])) - y[b]
		sse += float64(d * d)
		g := scale * d
		gb3 += g
		q1, q0 := f.Q1[r*st:(r+1)*st], f.Q0[r*st:(r+1)*st]
		for j, v := range z {
			if v > 0 {
				g3[j] += float64(g * v)
				dz := g * w3[j]
				q1[j] += float64(dz * xv)
				q0[j] += dz
			}
		}
	}
	return sse, gb3
}

// backGo turns the interval sums Q into the prefix sums P, then for each
// unit (by sorted position p) its row of ∂L/∂W2 (into g2t) and its
// ∂L/∂w1, ∂L/∂b1 (added into gw1, gb1): see the identities in fast.go.
func backGo(f *fastBlock, w1, b1, gw1, gb1 []float64) {
	H1, st := f.H1, f.st
	P1, P0, Q1, Q0 := f.P1, f.P0, f.Q1, f.Q0
	clear(P1[:st])
	clear(P0[:st])
	for r := 0; r <= H1; r++ {
		o1, o0 := P1[r*st:(r+1)*st], P0[r*st:(r+1)*st]
		q1, q0 := Q1[r*st:(r+1)*st], Q0[r*st:(r+1)*st]
		p1, p0 := P1[(r+1)*st:(r+2)*st], P0[(r+1)*st:(r+2)*st]
		for j := range p1 {
			p1[j] = o1[j] + q1[j]
			p0[j] = o0[j] + q0[j]
		}
	}
	tot1, tot0 := P1[(H1+1)*st:(H1+2)*st], P0[(H1+1)*st:(H1+2)*st]
	for p, k := range f.order {
		// The unit at sorted position p is active in intervals r > p (up)
		// or r ≤ p (down): a suffix or a prefix of the interval sums.
		a1, a0 := P1[(p+1)*st:(p+2)*st], P0[(p+1)*st:(p+2)*st] // Σ over r ≤ p
		up := f.up[p]
		wk, bk := w1[k], b1[k]
		w, g := f.w2t[k*st:(k+1)*st], f.g2t[k*st:(k+1)*st]
		var sw, sb [4]float64
		for j := range g {
			s1, s0 := a1[j], a0[j]
			if up {
				s1, s0 = tot1[j]-s1, tot0[j]-s0
			}
			g[j] = float64(wk*s1) + float64(bk*s0)
			t1, t0 := float64(w[j]*s1), float64(w[j]*s0)
			if j < 4 {
				sw[j], sb[j] = t1, t0
			} else {
				sw[j&3] += t1
				sb[j&3] += t0
			}
		}
		gw1[k] += (sw[0] + sw[2]) + (sw[1] + sw[3])
		gb1[k] += (sb[0] + sb[2]) + (sb[1] + sb[3])
	}
}

// transposeGo sets dst[c·dstride + r] = src[r·sstride + c] (or adds it)
// for r0 ≤ r < r1, c0 ≤ c < c1.
func transposeGo(dst, src []float64, r0, r1, c0, c1, sstride, dstride int, add bool) {
	for r := r0; r < r1; r++ {
		row := src[r*sstride : r*sstride+c1]
		for c := c0; c < c1; c++ {
			if add {
				dst[c*dstride+r] += row[c]
			} else {
				dst[c*dstride+r] = row[c]
			}
		}
	}
}
