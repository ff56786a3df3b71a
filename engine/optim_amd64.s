//go:build amd64 && !purego

#include "textflag.h"

// The optimizers' updates, four parameters at a time (AVX). Each kernel
// performs exactly its scalar twin's IEEE operations in optim.go, in the
// same order and with no fused multiply-add, so the two agree bit for bit.
// n is a multiple of 4. Each returns whether every updated parameter is
// finite: Y0 ORs p−p, which is +0 (no bit set) for every finite p and NaN
// for ±Inf and NaN.

// absmask clears a float64's sign bit; minnorm is the smallest normal float64.
DATA absmask<>+0(SB)/8, $0x7fffffffffffffff
DATA absmask<>+8(SB)/8, $0x7fffffffffffffff
DATA absmask<>+16(SB)/8, $0x7fffffffffffffff
DATA absmask<>+24(SB)/8, $0x7fffffffffffffff
GLOBL absmask<>(SB), RODATA|NOPTR, $32
DATA minnorm<>+0(SB)/8, $0x0010000000000000
DATA minnorm<>+8(SB)/8, $0x0010000000000000
DATA minnorm<>+16(SB)/8, $0x0010000000000000
DATA minnorm<>+24(SB)/8, $0x0010000000000000
GLOBL minnorm<>(SB), RODATA|NOPTR, $32

// FLUSH sets each lane of v to +0 where |v| < the smallest normal float64
// (flush in optim.go); t is scratch, Y13 = absmask, Y14 = minnorm.
#define FLUSH(v, t) \
	VANDPD  Y13, v, t; \
	VCMPPD  $1, Y14, t, t; \
	VANDNPD v, t, v

// FINITE ORs p−p into Y0; t is scratch.
#define FINITE(p, t) \
	VSUBPD p, p, t; \
	VORPD  t, Y0, Y0

// RETFINITE stores whether Y0 is all zero into the bool at ret.
#define RETFINITE(ret) \
	VPTEST Y0, Y0; \
	SETEQ  ret; \
	VZEROUPPER; \
	RET

// func sgdAVX(p, grad *float64, n int, lr float64) bool
//   p = p − lr·g
TEXT ·sgdAVX(SB), NOSPLIT, $0-33
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSD lr+24(FP), Y12
	VXORPD Y0, Y0, Y0
	XORQ BX, BX
sgdLoop:
	CMPQ BX, CX
	JGE  sgdDone
	VMOVUPD (SI)(BX*8), Y1
	VMULPD  Y12, Y1, Y1 // lr·g
	VMOVUPD (DI)(BX*8), Y2
	VSUBPD  Y1, Y2, Y2
	VMOVUPD Y2, (DI)(BX*8)
	FINITE(Y2, Y3)
	ADDQ $4, BX
	JMP  sgdLoop
sgdDone:
	RETFINITE(ret+32(FP))

// func momentumAVX(p, grad, v *float64, n int, lr, mu float64, nesterov bool) bool
//   v = flush(mu·v + g)
//   p = p − lr·v              (momentum)
//   p = p − lr·(g + mu·v)     (Nesterov)
TEXT ·momentumAVX(SB), NOSPLIT, $0-57
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ v+16(FP), R8
	MOVQ n+24(FP), CX
	VBROADCASTSD lr+32(FP), Y12
	VBROADCASTSD mu+40(FP), Y11
	VMOVUPD absmask<>(SB), Y13
	VMOVUPD minnorm<>(SB), Y14
	VXORPD Y0, Y0, Y0
	XORQ BX, BX
	MOVBLZX nesterov+48(FP), AX
	TESTQ AX, AX
	JNZ  nestLoop
momLoop:
	CMPQ BX, CX
	JGE  momDone
	VMOVUPD (SI)(BX*8), Y1 // g
	VMOVUPD (R8)(BX*8), Y2 // v
	VMULPD  Y11, Y2, Y2    // mu·v
	VADDPD  Y1, Y2, Y2     // + g
	FLUSH(Y2, Y3)
	VMOVUPD Y2, (R8)(BX*8)
	VMULPD  Y12, Y2, Y4    // lr·v
	VMOVUPD (DI)(BX*8), Y5
	VSUBPD  Y4, Y5, Y5
	VMOVUPD Y5, (DI)(BX*8)
	FINITE(Y5, Y6)
	ADDQ $4, BX
	JMP  momLoop
nestLoop:
	CMPQ BX, CX
	JGE  momDone
	VMOVUPD (SI)(BX*8), Y1
	VMOVUPD (R8)(BX*8), Y2
	VMULPD  Y11, Y2, Y2
	VADDPD  Y1, Y2, Y2
	FLUSH(Y2, Y3)
	VMOVUPD Y2, (R8)(BX*8)
	VMULPD  Y11, Y2, Y4    // mu·v
	VADDPD  Y4, Y1, Y4     // g + mu·v
	VMULPD  Y12, Y4, Y4    // lr·(…)
	VMOVUPD (DI)(BX*8), Y5
	VSUBPD  Y4, Y5, Y5
	VMOVUPD Y5, (DI)(BX*8)
	FINITE(Y5, Y6)
	ADDQ $4, BX
	JMP  nestLoop
momDone:
	RETFINITE(ret+56(FP))

// func rmspropAVX(p, grad, sq *float64, n int, lr, rho, omrho, eps float64) bool
//   s = flush(rho·s + (omrho·g)·g)
//   p = p − (lr·g) / (sqrt(s) + eps)
TEXT ·rmspropAVX(SB), NOSPLIT, $0-65
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ sq+16(FP), R8
	MOVQ n+24(FP), CX
	VBROADCASTSD lr+32(FP), Y12
	VBROADCASTSD rho+40(FP), Y11
	VBROADCASTSD omrho+48(FP), Y10
	VBROADCASTSD eps+56(FP), Y9
	VMOVUPD absmask<>(SB), Y13
	VMOVUPD minnorm<>(SB), Y14
	VXORPD Y0, Y0, Y0
	XORQ BX, BX
rmsLoop:
	CMPQ BX, CX
	JGE  rmsDone
	VMOVUPD (SI)(BX*8), Y1 // g
	VMOVUPD (R8)(BX*8), Y2 // s
	VMULPD  Y11, Y2, Y2    // rho·s
	VMULPD  Y10, Y1, Y3    // omrho·g
	VMULPD  Y1, Y3, Y3     // ·g
	VADDPD  Y3, Y2, Y2
	FLUSH(Y2, Y3)
	VMOVUPD Y2, (R8)(BX*8)
	VSQRTPD Y2, Y2
	VADDPD  Y9, Y2, Y2     // sqrt(s) + eps
	VMULPD  Y12, Y1, Y4    // lr·g
	VDIVPD  Y2, Y4, Y4
	VMOVUPD (DI)(BX*8), Y5
	VSUBPD  Y4, Y5, Y5
	VMOVUPD Y5, (DI)(BX*8)
	FINITE(Y5, Y6)
	ADDQ $4, BX
	JMP  rmsLoop
rmsDone:
	RETFINITE(ret+64(FP))

// func adagradAVX(p, grad, sq *float64, n int, lr, eps float64) bool
//   s = s + g·g
//   p = p − (lr·g) / (sqrt(s) + eps)
TEXT ·adagradAVX(SB), NOSPLIT, $0-49
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ sq+16(FP), R8
	MOVQ n+24(FP), CX
	VBROADCASTSD lr+32(FP), Y12
	VBROADCASTSD eps+40(FP), Y9
	VXORPD Y0, Y0, Y0
	XORQ BX, BX
adaLoop:
	CMPQ BX, CX
	JGE  adaDone
	VMOVUPD (SI)(BX*8), Y1 // g
	VMULPD  Y1, Y1, Y3     // g·g
	VADDPD  (R8)(BX*8), Y3, Y2
	VMOVUPD Y2, (R8)(BX*8)
	VSQRTPD Y2, Y2
	VADDPD  Y9, Y2, Y2
	VMULPD  Y12, Y1, Y4
	VDIVPD  Y2, Y4, Y4
	VMOVUPD (DI)(BX*8), Y5
	VSUBPD  Y4, Y5, Y5
	VMOVUPD Y5, (DI)(BX*8)
	FINITE(Y5, Y6)
	ADDQ $4, BX
	JMP  adaLoop
adaDone:
	RETFINITE(ret+48(FP))

// func adamAVX(p, grad, m, v *float64, n int, k *adamConsts) bool
// adamConsts layout (8 bytes each):
//   0 b1   8 1-b1   16 b2   24 1-b2   32 lr   40 c1   48 c2   56 eps
// Per lane, exactly adamScalar's operations:
//   m = flush(b1·m + (1-b1)·g)
//   v = flush(b2·v + ((1-b2)·g)·g)
//   p = p − (lr·(m·c1)) / (sqrt(v·c2) + eps)
TEXT ·adamAVX(SB), NOSPLIT, $0-49
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	VBROADCASTSD 0(AX), Y8   // b1
	VBROADCASTSD 8(AX), Y9   // 1-b1
	VBROADCASTSD 16(AX), Y10 // b2
	VBROADCASTSD 24(AX), Y11 // 1-b2
	VBROADCASTSD 32(AX), Y12 // lr
	VBROADCASTSD 40(AX), Y15 // c1
	VMOVUPD absmask<>(SB), Y13
	VMOVUPD minnorm<>(SB), Y14
	VXORPD Y0, Y0, Y0
	XORQ BX, BX

adamLoop:
	CMPQ BX, CX
	JGE  adamDone
	VMOVUPD (SI)(BX*8), Y1 // g
	VMOVUPD (R8)(BX*8), Y2 // m
	VMOVUPD (R9)(BX*8), Y3 // v
	VMULPD  Y8, Y2, Y2     // b1·m
	VMULPD  Y9, Y1, Y4     // (1-b1)·g
	VADDPD  Y4, Y2, Y2     // m
	FLUSH(Y2, Y4)
	VMOVUPD Y2, (R8)(BX*8)
	VMULPD  Y10, Y3, Y3    // b2·v
	VMULPD  Y11, Y1, Y5    // (1-b2)·g
	VMULPD  Y1, Y5, Y5     // ((1-b2)·g)·g
	VADDPD  Y5, Y3, Y3     // v
	FLUSH(Y3, Y5)
	VMOVUPD Y3, (R9)(BX*8)
	VMULPD  Y15, Y2, Y6    // m·c1
	VMULPD  Y6, Y12, Y6    // lr·(m·c1)
	VBROADCASTSD 48(AX), Y7
	VMULPD  Y7, Y3, Y7     // v·c2
	VSQRTPD Y7, Y7         // sqrt(v·c2)
	VBROADCASTSD 56(AX), Y4
	VADDPD  Y4, Y7, Y7     // + eps
	VDIVPD  Y7, Y6, Y6     // step
	VMOVUPD (DI)(BX*8), Y5
	VSUBPD  Y6, Y5, Y5     // p − step
	VMOVUPD Y5, (DI)(BX*8)
	FINITE(Y5, Y4)
	ADDQ    $4, BX
	JMP     adamLoop
adamDone:
	RETFINITE(ret+48(FP))
