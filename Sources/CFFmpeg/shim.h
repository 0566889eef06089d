// FFmpeg's headers, and its functions loaded with dlopen on first use: linked normally, libavcodec
// and its hundred codec libraries would be mapped and relocated at every start (peak RSS went
// from 16 MB to 38 MB for a WAV that never touches FFmpeg).
#include <dlfcn.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libavutil/mathematics.h>
#include <libavutil/mem.h>
#include <libavutil/samplefmt.h>

// FFmpeg's error codes are macros Swift cannot import.
static inline int cffmpeg_error_eof(void) { return AVERROR_EOF; }
static inline int cffmpeg_error_again(void) { return AVERROR(EAGAIN); }
static inline int cffmpeg_error_io(void) { return AVERROR(EIO); }
static inline int64_t cffmpeg_no_pts(void) { return AV_NOPTS_VALUE; }

// Every FFmpeg function audioprep calls, by library.
#define CFFMPEG_FUNCTIONS(X) \
  X(format, avformat_version) X(format, avio_alloc_context) X(format, avio_context_free) \
  X(format, av_probe_input_buffer2) X(format, avformat_alloc_context) X(format, avformat_open_input) \
  X(format, avformat_find_stream_info) X(format, avformat_close_input) X(format, av_read_frame) \
  X(format, av_fmt_ctx_get_duration_estimation_method) \
  X(codec, avcodec_version) X(codec, avcodec_find_decoder) X(codec, avcodec_get_name) \
  X(codec, avcodec_alloc_context3) X(codec, avcodec_parameters_to_context) X(codec, avcodec_open2) \
  X(codec, avcodec_free_context) X(codec, avcodec_send_packet) X(codec, avcodec_receive_frame) \
  X(codec, av_packet_alloc) X(codec, av_packet_free) X(codec, av_packet_unref) X(codec, av_packet_get_side_data) \
  X(util, avutil_version) X(util, av_malloc) X(util, av_freep) X(util, av_dict_set) X(util, av_dict_free) \
  X(util, av_frame_alloc) X(util, av_frame_free) X(util, av_frame_unref) X(util, av_strerror) \
  X(util, av_log_set_callback) X(util, av_log_format_line2) X(util, av_rescale_q) \
  X(util, av_get_sample_fmt_name) X(util, av_max_alloc)

/// The functions, as pointers filled in by `cffmpeg_load`.
typedef struct cffmpeg_api {
#define CFFMPEG_FIELD(library, name) __typeof__(name) *name;
  CFFMPEG_FUNCTIONS(CFFMPEG_FIELD)
#undef CFFMPEG_FIELD
} cffmpeg_api;

#define CFFMPEG_STRING2(x) #x
#define CFFMPEG_STRING(x) CFFMPEG_STRING2(x)

/// Loads the libraries whose major versions match these headers and fills `api`; returns NULL,
/// or what failed (dlerror's text, or the missing symbol's name).
static inline const char *cffmpeg_load(cffmpeg_api *api) {
  void *util = dlopen("libavutil.so." CFFMPEG_STRING(LIBAVUTIL_VERSION_MAJOR), RTLD_LAZY | RTLD_LOCAL);
  if (!util) return dlerror();
  void *codec = dlopen("libavcodec.so." CFFMPEG_STRING(LIBAVCODEC_VERSION_MAJOR), RTLD_LAZY | RTLD_LOCAL);
  if (!codec) return dlerror();
  void *format = dlopen("libavformat.so." CFFMPEG_STRING(LIBAVFORMAT_VERSION_MAJOR), RTLD_LAZY | RTLD_LOCAL);
  if (!format) return dlerror();
#define CFFMPEG_LOAD(library, name) \
  if (!(api->name = (__typeof__(name) *)dlsym(library, #name))) return #name;
  CFFMPEG_FUNCTIONS(CFFMPEG_LOAD)
#undef CFFMPEG_LOAD
  return 0;
}
