#include "polyphase_kernel.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

/// The test `__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")` makes, asked of
/// cpuid here: the builtin links libgcc's CPU model, whose constructor runs a dozen cpuid
/// instructions in every process at start (each a trap to the hypervisor in a VM), resampling or
/// not (issue 22). AVX2 (leaf 7, EBX bit 5) and FMA (leaf 1, ECX bit 12) count only where the
/// operating system saves the YMM registers: OSXSAVE (leaf 1, ECX bit 27) and XCR0's SSE and AVX
/// state bits (1 and 2).
int polyphase_has_avx2_fma(void) {
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
  const unsigned fma = 1u << 12, osxsave = 1u << 27;
  if ((ecx & (fma | osxsave)) != (fma | osxsave)) return 0;
  unsigned xcr0, xcr0_high;
  __asm__("xgetbv" : "=a"(xcr0), "=d"(xcr0_high) : "c"(0));
  if ((xcr0 & 6) != 6) return 0;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
  return (ebx & (1u << 5)) != 0;
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
