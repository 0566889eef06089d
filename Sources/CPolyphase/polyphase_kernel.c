#include "polyphase_kernel.h"

#if defined(__x86_64__)
#include <immintrin.h>

int polyphase_has_avx2_fma(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

/// Σ taps[k] · x[k] for k < count (a multiple of 16) in four 8-lane accumulators, always in the
/// same order, so the result does not depend on which thread computes it.
__attribute__((target("avx2,fma"))) static inline float dot_avx2(const float *taps, const float *x, long count) {
  __m256 sum0 = _mm256_setzero_ps(), sum1 = _mm256_setzero_ps();
  __m256 sum2 = _mm256_setzero_ps(), sum3 = _mm256_setzero_ps();
  long k = 0;
  for (; k + 32 <= count; k += 32) {
    sum0 = _mm256_fmadd_ps(_mm256_loadu_ps(taps + k), _mm256_loadu_ps(x + k), sum0);
    sum1 = _mm256_fmadd_ps(_mm256_loadu_ps(taps + k + 8), _mm256_loadu_ps(x + k + 8), sum1);
    sum2 = _mm256_fmadd_ps(_mm256_loadu_ps(taps + k + 16), _mm256_loadu_ps(x + k + 16), sum2);
    sum3 = _mm256_fmadd_ps(_mm256_loadu_ps(taps + k + 24), _mm256_loadu_ps(x + k + 24), sum3);
  }
  if (k < count) {
    sum0 = _mm256_fmadd_ps(_mm256_loadu_ps(taps + k), _mm256_loadu_ps(x + k), sum0);
    sum1 = _mm256_fmadd_ps(_mm256_loadu_ps(taps + k + 8), _mm256_loadu_ps(x + k + 8), sum1);
  }
  __m256 sum = _mm256_add_ps(_mm256_add_ps(sum0, sum2), _mm256_add_ps(sum1, sum3));
  __m128 half = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
  half = _mm_add_ps(half, _mm_movehl_ps(half, half));
  half = _mm_add_ss(half, _mm_movehdup_ps(half));
  return _mm_cvtss_f32(half);
}

__attribute__((target("avx2,fma"))) void polyphase_render_avx2(
    const float *taps, long stride, const long *steps, long p, long phase, long start,
    const float *input, long capacity, long channels, long count, float *output) {
  for (long i = 0; i < count; i++) {
    const float *row = taps + phase * stride;
    for (long c = 0; c < channels; c++) {
      output[i * channels + c] = dot_avx2(row, input + c * capacity + start, stride);
    }
    start += steps[phase];
    phase += 1;
    if (phase == p) phase = 0;
  }
}

#else  // no AVX2 on this architecture: the portable Swift kernel runs

int polyphase_has_avx2_fma(void) { return 0; }

void polyphase_render_avx2(
    const float *taps, long stride, const long *steps, long p, long phase, long start,
    const float *input, long capacity, long channels, long count, float *output) {
  (void)taps, (void)stride, (void)steps, (void)p, (void)phase, (void)start;
  (void)input, (void)capacity, (void)channels, (void)count, (void)output;
  __builtin_trap();
}

#endif
