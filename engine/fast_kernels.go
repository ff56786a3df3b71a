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
// units at or above r (descending). Lanes are independent here, and the
// padding lanes are +0 on every path (0·w added to +0), so only the H2 real
// lanes are computed.
func lineTableGo(f *fastBlock, w1, b1, W2 []float64) {
	H1, H2, st := f.H1, f.H2, f.st
	S1, S0 := f.S1, f.S0
	clear(S1[:st])
	clear(S0[:st])
	for p := 0; p < H1; p++ {
		o1, o0 := S1[p*st:p*st+H2], S0[p*st:p*st+H2]
		r1, r0 := S1[(p+1)*st:(p+1)*st+H2], S0[(p+1)*st:(p+1)*st+H2]
		k := f.order[p]
		if !f.up[p] {
			copy(r1, o1)
			copy(r0, o0)
			continue
		}
		wk, bk := w1[k], b1[k]
		for j := range r1 {
			w := W2[j*H1+k]
			r1[j] = o1[j] + float64(w*wk)
			r0[j] = o0[j] + float64(w*bk)
		}
	}
	D1, D0 := f.d1[:H2], f.d0[:H2]
	clear(D1)
	clear(D0)
	for p := H1 - 1; p >= 0; p-- {
		if k := f.order[p]; !f.up[p] {
			wk, bk := w1[k], b1[k]
			for j := range D1 {
				w := W2[j*H1+k]
				D1[j] += float64(w * wk)
				D0[j] += float64(w * bk)
			}
		}
		r1, r0 := S1[p*st:p*st+H2], S0[p*st:p*st+H2]
		for j := range r1 {
			r1[j] += D1[j]
			r0[j] += D0[j]
		}
	}
}

// w2at is W2[j,k], and 0 in the padding lanes j ≥ H2: what the kernels
// read from W2 transposed.
func w2at(W2 []float64, j, k, H1, H2 int) float64 {
	if j < H2 {
		return W2[j*H1+k]
	}
	return 0
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
		var l0, l1, l2, l3 float64 // the four lane sums of w3·relu(z2)
		for c := 0; c < st; c += 4 {
			p1, p0, pc, pw, pz := s1[c:c+4], s0[c:c+4], c2[c:c+4], w3[c:c+4], z[c:c+4]
			v0 := pc[0] + float64(xv*p1[0]) + p0[0]
			v1 := pc[1] + float64(xv*p1[1]) + p0[1]
			v2 := pc[2] + float64(xv*p1[2]) + p0[2]
			v3 := pc[3] + float64(xv*p1[3]) + p0[3]
			pz[0], pz[1], pz[2], pz[3] = v0, v1, v2, v3
			t0, t1 := float64(pw[0]*relu0(v0)), float64(pw[1]*relu0(v1))
			t2, t3 := float64(pw[2]*relu0(v2)), float64(pw[3]*relu0(v3))
			if c == 0 {
				l0, l1, l2, l3 = t0, t1, t2, t3
			} else {
				l0, l1, l2, l3 = l0+t0, l1+t1, l2+t2, l3+t3
			}
		}
		d := b3 + ((l0 + l2) + (l1 + l3)) - y[b]
		sse += float64(d * d)
		g := float64(scale * d)
		gb3 += g
		q1, q0 := f.Q1[r*st:(r+1)*st], f.Q0[r*st:(r+1)*st]
		for j, v := range z {
			if v > 0 {
				g3[j] += float64(g * v)
				dz := float64(g * w3[j])
				q1[j] += float64(dz * xv)
				q0[j] += dz
			}
		}
	}
	return sse, gb3
}

// relu0 is v if v > 0, else +0 (NaN too), as the kernels' compare and mask.
func relu0(v float64) float64 {
	if v > 0 {
		return v
	}
	return 0
}

// backGo turns the interval sums Q into the prefix sums P, then for each
// unit (by sorted position p) adds its column of ∂L/∂W2 into gW2 and its
// ∂L/∂w1, ∂L/∂b1 into gw1, gb1: see the identities in fast.go.
func backGo(f *fastBlock, w1, b1, W2, gw1, gb1, gW2 []float64) {
	H1, H2, st := f.H1, f.H2, f.st
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
		w := f.d1[:st] // unit k's column of W2, padded with 0
		for j := range w {
			w[j] = w2at(W2, j, k, H1, H2)
		}
		var sw, sb [4]float64 // lane sums of W2[j,k]·s1 and W2[j,k]·s0
		for c := 0; c < st; c += 4 {
			pa1, pa0, pt1, pt0, pw := a1[c:c+4], a0[c:c+4], tot1[c:c+4], tot0[c:c+4], w[c:c+4]
			for l := range 4 {
				s1, s0 := pa1[l], pa0[l]
				if up {
					s1, s0 = pt1[l]-s1, pt0[l]-s0
				}
				if j := c + l; j < H2 {
					gW2[j*H1+k] += float64(wk*s1) + float64(bk*s0)
				}
				t1, t0 := float64(pw[l]*s1), float64(pw[l]*s0)
				if c == 0 {
					sw[l], sb[l] = t1, t0
				} else {
					sw[l] += t1
					sb[l] += t0
				}
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
		if add {
			for c := c0; c < c1; c++ {
				dst[c*dstride+r] += row[c]
			}
		} else {
			for c := c0; c < c1; c++ {
				dst[c*dstride+r] = row[c]
			}
		}
	}
}
