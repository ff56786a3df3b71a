// probe.c: how fast can this CPU take lnfit's training step? The same
// fast-path algorithm as engine/fast.go for the question's 1→50→10→1 ReLU
// net, written for AVX2+FMA in C with nothing held back: per-interval lines
// from sorted thresholds, one fused per-sample loop over 3 ymm of layer-2
// units (with FMA), prefix sums, exact IEEE Adam (no FMA) with the
// finiteness check folded in, Go's PCG-DXSM for the draws and libmvec's
// vector log. The regime is BenchmarkStep's: the answer's init (W ~
// truncated N(0, 0.1²), b = 0.1), Adam at lr 1e-4, 200 steps to warm up,
// then the timed steps. It first checks one step's gradient against a dense
// pass (printed as the largest difference relative to the largest gradient).
//
// Build and run (Debian: gcc and libc6-dev, which has libmvec):
//
//	gcc -O3 -mavx2 -mfma -ffp-contract=off -o /tmp/probe docs/peers/probe.c -lmvec -lm && /tmp/probe
//
// It prints steps/s by CPU time (CLOCK_THREAD_CPUTIME_ID: what a shared
// machine's neighbours do not take away) and by wall time, median of 9 runs.
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define H1 50
#define H2 10
#define ST 12 // H2 rounded up to 4 lanes
#define NP (H1 + H1 + H2 * H1 + H2 + H2 + 1)
#define MAXB 5000

__m256d _ZGVdN4v_log(__m256d); // libmvec

// Go's math/rand/v2 PCG (DXSM output), so the draws are lnfit's own.
typedef struct { uint64_t hi, lo; } pcg;
static inline uint64_t pcg_u64(pcg *p) {
	unsigned __int128 s = ((unsigned __int128)p->hi << 64) | p->lo;
	const unsigned __int128 mul = ((unsigned __int128)2549297995355413924ULL << 64) | 4865540595714422341ULL;
	const unsigned __int128 inc = ((unsigned __int128)6364136223846793005ULL << 64) | 1442695040888963407ULL;
	s = s * mul + inc;
	p->hi = (uint64_t)(s >> 64), p->lo = (uint64_t)s;
	uint64_t hi = p->hi, lo = p->lo;
	hi ^= hi >> 32;
	hi *= 0xda942042e4dd58b5ULL;
	hi ^= hi >> 48;
	return hi * (lo | 1);
}
static inline double unit(pcg *p) { return (double)(pcg_u64(p) << 11 >> 11) / 9007199254740992.0; }

static double params[NP], grads[NP], am[NP], av[NP];
#define W1 (params)
#define B1 (params + H1)
#define W2 (params + 2 * H1)           // (H2, H1)
#define C2 (params + 2 * H1 + H2 * H1) // (H2)
#define W3 (C2 + H2)                   // (H2)
#define B3 (W3[H2])
static double xs[MAXB], ys[MAXB];
static int order[H1];
static double thr[H1];
static int up[H1];
static int start[129];
static double w2t[H1][ST], g2t[H1][ST];
static double S1[H1 + 1][ST], S0[H1 + 1][ST], Q1[H1 + 1][ST], Q0[H1 + 1][ST], P1[H1 + 2][ST], P0[H1 + 2][ST];
static double b1t, b2t;
static int adamT;

static void init(uint64_t seed) {
	pcg r = {seed, 0x696e6974};
	for (int i = 0; i < NP; i++) params[i] = 0.1;
	double *w[3] = {W1, W2, W3};
	int n[3] = {H1, H2 * H1, H2};
	for (int l = 0; l < 3; l++)
		for (int i = 0; i < n[l]; i++) {
			double z;
			do { // Box-Muller, redrawn beyond 2σ
				double u1 = 1 - unit(&r), u2 = unit(&r);
				z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
			} while (fabs(z) > 2);
			w[l][i] = 0.1 * z;
		}
	for (int k = 0; k < H1; k++) order[k] = k;
	memset(am, 0, sizeof am), memset(av, 0, sizeof av);
	adamT = 0, b1t = b2t = 1;
}

static inline __m256d hsum4(__m256d a) { // any order: the probe is not bit-matched
	__m128d s = _mm_add_pd(_mm256_castpd256_pd128(a), _mm256_extractf128_pd(a, 1));
	return _mm256_set1_pd(_mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s))));
}

static double fast_step(int B, pcg *rng) {
	for (int i = 0; i < B; i++) xs[i] = 1 - unit(rng);
	int i = 0;
	for (; i + 4 <= B; i += 4) _mm256_storeu_pd(ys + i, _ZGVdN4v_log(_mm256_loadu_pd(xs + i)));
	for (; i < B; i++) ys[i] = log(xs[i]);
	memset(grads, 0, sizeof grads);

	// Sorted thresholds (insertion sort from last step's order).
	for (int p = 0; p < H1; p++) {
		int k = order[p];
		double w = W1[k], b = B1[k];
		thr[p] = w != 0 ? -b / w : (b > 0 ? -INFINITY : INFINITY);
		up[p] = w > 0 || (w == 0);
	}
	for (int a = 1; a < H1; a++) {
		double kv = thr[a];
		int ko = order[a], ku = up[a], j = a - 1;
		while (j >= 0 && thr[j] > kv) thr[j + 1] = thr[j], order[j + 1] = order[j], up[j + 1] = up[j], j--;
		thr[j + 1] = kv, order[j + 1] = ko, up[j + 1] = ku;
	}
	for (int j = 0; j < H2; j++)
		for (int k = 0; k < H1; k++) w2t[k][j] = W2[j * H1 + k];

	// Interval lines, 3 ymm per row kept in registers.
	__m256d a1[3], a0[3], z = _mm256_setzero_pd();
	for (int c = 0; c < 3; c++) a1[c] = a0[c] = z, _mm256_storeu_pd(&S1[0][4 * c], z), _mm256_storeu_pd(&S0[0][4 * c], z);
	for (int p = 0; p < H1; p++) {
		int k = order[p];
		__m256d m = _mm256_castsi256_pd(_mm256_set1_epi64x(-(int64_t)up[p]));
		__m256d wk = _mm256_and_pd(m, _mm256_set1_pd(W1[k])), bk = _mm256_and_pd(m, _mm256_set1_pd(B1[k]));
		for (int c = 0; c < 3; c++) {
			__m256d w = _mm256_loadu_pd(&w2t[k][4 * c]);
			a1[c] = _mm256_fmadd_pd(w, wk, a1[c]), a0[c] = _mm256_fmadd_pd(w, bk, a0[c]);
			_mm256_storeu_pd(&S1[p + 1][4 * c], a1[c]), _mm256_storeu_pd(&S0[p + 1][4 * c], a0[c]);
		}
	}
	for (int c = 0; c < 3; c++) a1[c] = a0[c] = z;
	for (int p = H1 - 1; p >= 0; p--) {
		int k = order[p];
		__m256d m = _mm256_castsi256_pd(_mm256_set1_epi64x(-(int64_t)!up[p]));
		__m256d wk = _mm256_and_pd(m, _mm256_set1_pd(W1[k])), bk = _mm256_and_pd(m, _mm256_set1_pd(B1[k]));
		for (int c = 0; c < 3; c++) {
			__m256d w = _mm256_loadu_pd(&w2t[k][4 * c]);
			a1[c] = _mm256_fmadd_pd(w, wk, a1[c]), a0[c] = _mm256_fmadd_pd(w, bk, a0[c]);
			_mm256_storeu_pd(&S1[p][4 * c], _mm256_add_pd(_mm256_loadu_pd(&S1[p][4 * c]), a1[c]));
			_mm256_storeu_pd(&S0[p][4 * c], _mm256_add_pd(_mm256_loadu_pd(&S0[p][4 * c]), a0[c]));
		}
	}
	for (int k = 0, r = 0; k <= 128; k++) {
		while (r < H1 && thr[r] < k / 128.0) r++;
		start[k] = r;
	}

	// The fused per-sample loop: 3 ymm of layer-2 units.
	memset(Q1, 0, sizeof Q1), memset(Q0, 0, sizeof Q0);
	__m256d c2[3], w3[3], g3[3];
	for (int c = 0; c < 3; c++) {
		double t[4] = {0}, u[4] = {0};
		for (int l = 0; l < 4; l++)
			if (4 * c + l < H2) t[l] = C2[4 * c + l], u[l] = W3[4 * c + l];
		c2[c] = _mm256_loadu_pd(t), w3[c] = _mm256_loadu_pd(u), g3[c] = z;
	}
	double sse = 0, gb3 = 0, scale = 2.0 / B, b3 = B3;
	for (int b = 0; b < B; b++) {
		double x = xs[b];
		int k = (int)(x * 128);
		k = k < 0 ? 0 : k > 127 ? 127 : k;
		int r = start[k];
		while (r < H1 && thr[r] < x) r++;
		__m256d xv = _mm256_set1_pd(x), v[3], mk[3], acc = z;
		for (int c = 0; c < 3; c++) {
			v[c] = _mm256_add_pd(_mm256_fmadd_pd(xv, _mm256_loadu_pd(&S1[r][4 * c]), _mm256_loadu_pd(&S0[r][4 * c])), c2[c]);
			mk[c] = _mm256_cmp_pd(v[c], z, _CMP_GT_OQ);
			v[c] = _mm256_and_pd(mk[c], v[c]);
			acc = _mm256_fmadd_pd(w3[c], v[c], acc);
		}
		double d = b3 + _mm256_cvtsd_f64(hsum4(acc)) - ys[b];
		sse += d * d;
		double g = scale * d;
		gb3 += g;
		__m256d gv = _mm256_set1_pd(g);
		for (int c = 0; c < 3; c++) {
			g3[c] = _mm256_fmadd_pd(gv, v[c], g3[c]);
			__m256d dz = _mm256_and_pd(mk[c], _mm256_mul_pd(gv, w3[c]));
			_mm256_storeu_pd(&Q1[r][4 * c], _mm256_fmadd_pd(dz, xv, _mm256_loadu_pd(&Q1[r][4 * c])));
			_mm256_storeu_pd(&Q0[r][4 * c], _mm256_add_pd(dz, _mm256_loadu_pd(&Q0[r][4 * c])));
		}
	}
	double t3[12];
	for (int c = 0; c < 3; c++) _mm256_storeu_pd(t3 + 4 * c, g3[c]);
	for (int j = 0; j < H2; j++) grads[NP - 1 - H2 + j] = t3[j];
	grads[NP - 1] = gb3;

	// Prefix sums over intervals, then each unit's gradients.
	for (int c = 0; c < 3; c++) {
		__m256d s1 = z, s0 = z;
		_mm256_storeu_pd(&P1[0][4 * c], z), _mm256_storeu_pd(&P0[0][4 * c], z);
		for (int r = 0; r <= H1; r++) {
			s1 = _mm256_add_pd(s1, _mm256_loadu_pd(&Q1[r][4 * c])), s0 = _mm256_add_pd(s0, _mm256_loadu_pd(&Q0[r][4 * c]));
			_mm256_storeu_pd(&P1[r + 1][4 * c], s1), _mm256_storeu_pd(&P0[r + 1][4 * c], s0);
		}
	}
	double *gW1 = grads, *gB1 = grads + H1, *gW2 = grads + 2 * H1, *gC2 = gW2 + H2 * H1;
	for (int j = 0; j < H2; j++) gC2[j] = P0[H1 + 1][j];
	for (int p = 0; p < H1; p++) {
		int k = order[p];
		__m256d m = _mm256_castsi256_pd(_mm256_set1_epi64x(-(int64_t)up[p]));
		__m256d wk = _mm256_set1_pd(W1[k]), bk = _mm256_set1_pd(B1[k]), sw = z, sb = z;
		for (int c = 0; c < 3; c++) {
			__m256d p1 = _mm256_loadu_pd(&P1[p + 1][4 * c]), p0 = _mm256_loadu_pd(&P0[p + 1][4 * c]);
			__m256d s1 = _mm256_blendv_pd(p1, _mm256_sub_pd(_mm256_loadu_pd(&P1[H1 + 1][4 * c]), p1), m);
			__m256d s0 = _mm256_blendv_pd(p0, _mm256_sub_pd(_mm256_loadu_pd(&P0[H1 + 1][4 * c]), p0), m);
			_mm256_storeu_pd(&g2t[k][4 * c], _mm256_fmadd_pd(wk, s1, _mm256_mul_pd(bk, s0)));
			__m256d w = _mm256_loadu_pd(&w2t[k][4 * c]);
			sw = _mm256_fmadd_pd(w, s1, sw), sb = _mm256_fmadd_pd(w, s0, sb);
		}
		gW1[k] = _mm256_cvtsd_f64(hsum4(sw)), gB1[k] = _mm256_cvtsd_f64(hsum4(sb));
	}
	for (int j = 0; j < H2; j++)
		for (int k = 0; k < H1; k++) gW2[j * H1 + k] = g2t[k][j];
	return sse / B;
}

// Exact IEEE Adam (no FMA: built with -ffp-contract=off), flushing state
// below the smallest normal to 0 as lnfit does, and checking finiteness.
static int adam(double lr) {
	adamT++, b1t *= 0.9, b2t *= 0.999;
	const __m256d b1 = _mm256_set1_pd(0.9), ob1 = _mm256_set1_pd(0.1), b2 = _mm256_set1_pd(0.999), ob2 = _mm256_set1_pd(1 - 0.999);
	const __m256d vlr = _mm256_set1_pd(lr), c1 = _mm256_set1_pd(1 / (1 - b1t)), c2 = _mm256_set1_pd(1 / (1 - b2t)), eps = _mm256_set1_pd(1e-8);
	const __m256d absm = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL)), mn = _mm256_set1_pd(0x1p-1022);
	__m256d bad = _mm256_setzero_pd();
	int i = 0;
	for (; i + 4 <= NP; i += 4) {
		__m256d g = _mm256_loadu_pd(grads + i);
		__m256d m = _mm256_add_pd(_mm256_mul_pd(b1, _mm256_loadu_pd(am + i)), _mm256_mul_pd(ob1, g));
		m = _mm256_andnot_pd(_mm256_cmp_pd(_mm256_and_pd(m, absm), mn, _CMP_LT_OQ), m);
		__m256d v = _mm256_add_pd(_mm256_mul_pd(b2, _mm256_loadu_pd(av + i)), _mm256_mul_pd(_mm256_mul_pd(ob2, g), g));
		v = _mm256_andnot_pd(_mm256_cmp_pd(_mm256_and_pd(v, absm), mn, _CMP_LT_OQ), v);
		_mm256_storeu_pd(am + i, m), _mm256_storeu_pd(av + i, v);
		__m256d p = _mm256_sub_pd(_mm256_loadu_pd(params + i),
		                          _mm256_div_pd(_mm256_mul_pd(vlr, _mm256_mul_pd(m, c1)), _mm256_add_pd(_mm256_sqrt_pd(_mm256_mul_pd(v, c2)), eps)));
		_mm256_storeu_pd(params + i, p);
		bad = _mm256_or_pd(bad, _mm256_sub_pd(p, p));
	}
	int ok = _mm256_testz_pd(bad, bad) || _mm256_movemask_pd(_mm256_cmp_pd(bad, bad, _CMP_UNORD_Q)) == 0;
	for (; i < NP; i++) {
		double g = grads[i];
		am[i] = 0.9 * am[i] + 0.1 * g, av[i] = 0.999 * av[i] + (1 - 0.999) * g * g;
		if (fabs(am[i]) < 0x1p-1022) am[i] = 0;
		if (fabs(av[i]) < 0x1p-1022) av[i] = 0;
		params[i] -= lr * (am[i] / (1 - b1t)) / (sqrt(av[i] / (1 - b2t)) + 1e-8);
		ok &= isfinite(params[i]);
	}
	return ok;
}

// dense_grads is the textbook forward and backward over the batch in xs.
static void dense_grads(int B, double *g) {
	memset(g, 0, NP * sizeof *g);
	for (int b = 0; b < B; b++) {
		double x = xs[b], a1[H1], z2[H2], a2[H2], pred = B3;
		for (int k = 0; k < H1; k++) a1[k] = fmax(0, W1[k] * x + B1[k]);
		for (int j = 0; j < H2; j++) {
			z2[j] = C2[j];
			for (int k = 0; k < H1; k++) z2[j] += W2[j * H1 + k] * a1[k];
			a2[j] = fmax(0, z2[j]), pred += W3[j] * a2[j];
		}
		double d = 2 * (pred - ys[b]) / B, da1[H1] = {0};
		g[NP - 1] += d;
		for (int j = 0; j < H2; j++) {
			g[NP - 1 - H2 + j] += d * a2[j];
			double dz = z2[j] > 0 ? d * W3[j] : 0;
			g[2 * H1 + H2 * H1 + j] += dz;
			for (int k = 0; k < H1; k++) g[2 * H1 + j * H1 + k] += dz * a1[k], da1[k] += dz * W2[j * H1 + k];
		}
		for (int k = 0; k < H1; k++)
			if (W1[k] * x + B1[k] > 0) g[k] += da1[k] * x, g[H1 + k] += da1[k];
	}
}

static double now(clockid_t c) {
	struct timespec t;
	clock_gettime(c, &t);
	return t.tv_sec + 1e-9 * t.tv_nsec;
}

// Like BenchmarkStep: each timed run is steps 200 to 20,200 from the same
// start; the median of 9 runs is printed.
static int cmp(const void *a, const void *b) { return (*(double *)a > *(double *)b) - (*(double *)a < *(double *)b); }

int main(void) {
	static double dg[NP];
	int batches[2] = {50, 500};
	for (int bi = 0; bi < 2; bi++) {
		int B = batches[bi], ok = 1;
		double cpu[9], wall[9], loss = 0;
		for (int rep = 0; rep < 9; rep++) {
			init(1);
			pcg rng = {1, 0x62617463};
			for (int s = 0; s < 200; s++) fast_step(B, &rng), ok &= adam(1e-4);
			if (rep == 0) {
				pcg keep = rng;
				fast_step(B, &keep);
				dense_grads(B, dg);
				double worst = 0, big = 0;
				for (int i = 0; i < NP; i++) big = fmax(big, fabs(dg[i]));
				for (int i = 0; i < NP; i++) worst = fmax(worst, fabs(dg[i] - grads[i]) / big);
				printf("batch %d: fast gradient vs dense, largest difference / largest gradient: %.2g\n", B, worst);
			}
			const int steps = 20000;
			double c0 = now(CLOCK_THREAD_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC);
			for (int s = 0; s < steps; s++) loss += fast_step(B, &rng), ok &= adam(1e-4);
			cpu[rep] = steps / (now(CLOCK_THREAD_CPUTIME_ID) - c0), wall[rep] = steps / (now(CLOCK_MONOTONIC) - w0);
		}
		qsort(cpu, 9, sizeof *cpu, cmp), qsort(wall, 9, sizeof *wall, cmp);
		printf("batch %d adam: %.0f steps/s by CPU time (%.0f–%.0f), %.0f by wall time  [mean loss %.3g, finite %d]\n", B,
		       cpu[4], cpu[0], cpu[8], wall[4], loss / (9 * 20000.0), ok);
	}
	return 0;
}
