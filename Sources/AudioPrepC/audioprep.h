/* audioprep's C interface (libAudioPrepC.so, `swift build -c release --product AudioPrepC`).
 *
 * Options are the command line's, one string each: {"--highpass", "100", "--keep-channels"}.
 * Every function returns 0 on success, or the command line's exit code (64 usage, 65 data,
 * 66 no input, 70 internal, 74 I/O) with *error set to the line `audioprep` would print.
 * *warnings (may be NULL) gets the lines `audioprep` would warn with (truncated input, NaN
 * replaced, a level not reached, ...), '\n' between them, or NULL when there is none.
 * Buffers and lines it returns are malloc'd: free them with audioprep_free. Functions keep no
 * state between calls and may be called from several threads at once (a stream from one
 * thread at a time). */
#ifndef AUDIOPREP_H
#define AUDIOPREP_H
#include <stdint.h>

int32_t audioprep_load(const char *path, const char *const *options, int32_t option_count,
                       float **samples, int64_t *frames, int32_t *channels, int32_t *sample_rate,
                       char **warnings, char **error);
int32_t audioprep_process(const float *input, int64_t input_frames, int32_t input_channels,
                          int32_t input_rate, const char *const *options, int32_t option_count,
                          float **samples, int64_t *frames, int32_t *channels, int32_t *sample_rate,
                          char **warnings, char **error);
int32_t audioprep_stream_open(const char *path, const char *const *options, int32_t option_count,
                              void **stream, char **warnings, char **error);
/* *frames is 0 at the end of the stream, where *warnings gets the run's warnings. */
int32_t audioprep_stream_next(void *stream, float **samples, int64_t *frames, int32_t *channels,
                              char **warnings, char **error);
void audioprep_stream_close(void *stream);
int32_t audioprep_info(const char *path, const char *const *options, int32_t option_count,
                       char **json, char **error);
const char *audioprep_version(void);
void audioprep_free(void *pointer);

#endif
