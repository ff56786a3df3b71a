//go:build amd64 && !purego

#include "textflag.h"

// Adam's, RMSProp's and Adagrad's updates eight parameters at a time
// (AVX-512F), where the CPU has it: per lane exactly the AVX2 kernels'
// operations (optim_amd64.s) and so their scalar twins', with the flush done
// by a compare into a mask register and a masked xor. The divide and square
// root dominate these updates, and a zmm takes about as long as a ymm for
// them on Zen 5: half the time for the whole update.

// func adamAVX512(p, grad, m, v *float64, n int, k *adamConsts) bool
// n is a multiple of 8; returns whether every updated p is finite.
TEXT ·adamAVX512(SB), NOSPLIT, $0-49
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	VBROADCASTSD 0(AX), Z8   // b1
	VBROADCASTSD 8(AX), Z9   // 1-b1
	VBROADCASTSD 16(AX), Z10 // b2
	VBROADCASTSD 24(AX), Z11 // 1-b2
	VBROADCASTSD 32(AX), Z12 // lr
	VBROADCASTSD 40(AX), Z15 // c1
	VBROADCASTSD 48(AX), Z16 // c2
	VBROADCASTSD 56(AX), Z17 // eps
	MOVQ $0x7fffffffffffffff, BX
	VPBROADCASTQ BX, Z13 // absmask
	MOVQ $0x0010000000000000, BX
	VPBROADCASTQ BX, Z14 // smallest normal
	VPXORQ Z0, Z0, Z0
	XORQ BX, BX
loop:
	CMPQ BX, CX
	JGE  done
	VMOVUPD (SI)(BX*8), Z1 // g
	VMOVUPD (R8)(BX*8), Z2 // m
	VMOVUPD (R9)(BX*8), Z3 // v
	VMULPD  Z8, Z2, Z2
	VMULPD  Z9, Z1, Z4
	VADDPD  Z4, Z2, Z2     // m
	VANDPD  Z13, Z2, Z4
	VCMPPD  $1, Z14, Z4, K1
	VXORPD  Z2, Z2, K1, Z2 // flush
	VMOVUPD Z2, (R8)(BX*8)
	VMULPD  Z10, Z3, Z3
	VMULPD  Z11, Z1, Z5
	VMULPD  Z1, Z5, Z5
	VADDPD  Z5, Z3, Z3     // v
	VANDPD  Z13, Z3, Z5
	VCMPPD  $1, Z14, Z5, K2
	VXORPD  Z3, Z3, K2, Z3
	VMOVUPD Z3, (R9)(BX*8)
	VMULPD  Z15, Z2, Z6    // m·c1
	VMULPD  Z6, Z12, Z6    // lr·(m·c1)
	VMULPD  Z16, Z3, Z7    // v·c2
	VSQRTPD Z7, Z7
	VADDPD  Z17, Z7, Z7
	VDIVPD  Z7, Z6, Z6
	VMOVUPD (DI)(BX*8), Z5
	VSUBPD  Z6, Z5, Z5
	VMOVUPD Z5, (DI)(BX*8)
	VSUBPD  Z5, Z5, Z4
	VPORQ   Z4, Z0, Z0
	ADDQ    $8, BX
	JMP     loop
done:
	VEXTRACTF64X4 $1, Z0, Y1
	VORPD   Y1, Y0, Y0
	VPTEST  Y0, Y0
	SETEQ   ret+48(FP)
	VZEROUPPER
	RET

// FLUSH512 sets each lane of v to +0 where |v| < the smallest normal
// (Z13 = absmask, Z14 = smallest normal); t is scratch, K1 the mask.
#define FLUSH512(v, t) \
	VANDPD Z13, v, t; \
	VCMPPD $1, Z14, t, K1; \
	VXORPD v, v, K1, v

// RETFINITE512 stores whether Z0 (the OR of every p−p) is all zero into ret.
#define RETFINITE512(ret) \
	VEXTRACTF64X4 $1, Z0, Y1; \
	VORPD Y1, Y0, Y0; \
	VPTEST Y0, Y0; \
	SETEQ ret; \
	VZEROUPPER; \
	RET

// func rmspropAVX512(p, grad, sq *float64, n int, lr, rho, omrho, eps float64) bool
// n is a multiple of 8. Per lane exactly rmspropAVX's operations:
//   s = flush(rho·s + (omrho·g)·g); p = p − (lr·g) / (sqrt(s) + eps)
TEXT ·rmspropAVX512(SB), NOSPLIT, $0-65
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ sq+16(FP), R8
	MOVQ n+24(FP), CX
	VBROADCASTSD lr+32(FP), Z12
	VBROADCASTSD rho+40(FP), Z11
	VBROADCASTSD omrho+48(FP), Z10
	VBROADCASTSD eps+56(FP), Z9
	MOVQ $0x7fffffffffffffff, BX
	VPBROADCASTQ BX, Z13
	MOVQ $0x0010000000000000, BX
	VPBROADCASTQ BX, Z14
	VPXORQ Z0, Z0, Z0
	XORQ BX, BX
rms512:
	CMPQ BX, CX
	JGE  rms512done
	VMOVUPD (SI)(BX*8), Z1 // g
	VMOVUPD (R8)(BX*8), Z2 // s
	VMULPD  Z11, Z2, Z2    // rho·s
	VMULPD  Z10, Z1, Z3    // omrho·g
	VMULPD  Z1, Z3, Z3     // ·g
	VADDPD  Z3, Z2, Z2
	FLUSH512(Z2, Z3)
	VMOVUPD Z2, (R8)(BX*8)
	VSQRTPD Z2, Z2
	VADDPD  Z9, Z2, Z2     // sqrt(s) + eps
	VMULPD  Z12, Z1, Z4    // lr·g
	VDIVPD  Z2, Z4, Z4
	VMOVUPD (DI)(BX*8), Z5
	VSUBPD  Z4, Z5, Z5
	VMOVUPD Z5, (DI)(BX*8)
	VSUBPD  Z5, Z5, Z6
	VPORQ   Z6, Z0, Z0
	ADDQ $8, BX
	JMP  rms512
rms512done:
	RETFINITE512(ret+64(FP))

// func adagradAVX512(p, grad, sq *float64, n int, lr, eps float64) bool
// n is a multiple of 8. Per lane exactly adagradAVX's operations:
//   s = s + g·g; p = p − (lr·g) / (sqrt(s) + eps)
TEXT ·adagradAVX512(SB), NOSPLIT, $0-49
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ sq+16(FP), R8
	MOVQ n+24(FP), CX
	VBROADCASTSD lr+32(FP), Z12
	VBROADCASTSD eps+40(FP), Z9
	VPXORQ Z0, Z0, Z0
	XORQ BX, BX
ada512:
	CMPQ BX, CX
	JGE  ada512done
	VMOVUPD (SI)(BX*8), Z1 // g
	VMULPD  Z1, Z1, Z3     // g·g
	VADDPD  (R8)(BX*8), Z3, Z2
	VMOVUPD Z2, (R8)(BX*8)
	VSQRTPD Z2, Z2
	VADDPD  Z9, Z2, Z2
	VMULPD  Z12, Z1, Z4
	VDIVPD  Z2, Z4, Z4
	VMOVUPD (DI)(BX*8), Z5
	VSUBPD  Z4, Z5, Z5
	VMOVUPD Z5, (DI)(BX*8)
	VSUBPD  Z5, Z5, Z6
	VPORQ   Z6, Z0, Z0
	ADDQ $8, BX
	JMP  ada512
ada512done:
	RETFINITE512(ret+48(FP))
