#ifndef POLYPHASE_KERNEL_H
#define POLYPHASE_KERNEL_H

/// Whether this CPU runs `polyphase_render_avx2` (AVX2 and FMA, asked of cpuid at run time).
int polyphase_has_avx2_fma(void);

/// The polyphase FIR for `count` consecutive outputs with AVX2 and fused multiply-add.
///
/// Output i (0 ≤ i < count) of channel c is Σ_k taps[phase_i · stride + k] · x_c[start_i + k],
/// where phase_0 = `phase`, start_0 = `start`, and each step advances the start by
/// steps[phase] (⌊(phase+1)·q/p⌋ − ⌊phase·q/p⌋) and the phase by one (mod p). Channel c's input begins at
/// input + c · capacity; outputs are written interleaved. `stride` is a multiple of 16.
/// Only call when `polyphase_has_avx2_fma()` returns 1.
void polyphase_render_avx2(
    const float *taps, long stride, const long *steps, long p, long phase, long start,
    const float *input, long capacity, long channels, long count, float *output);

#endif
