// The C API of webrtc_apm_shim.h over webrtc::AudioProcessing (libwebrtc-audio-processing 0.3).
#include "webrtc_apm_shim.h"

#include <dlfcn.h>

#include <memory>

#include "webrtc/common.h"
#include "webrtc/modules/audio_processing/include/audio_processing.h"

struct AudioprepApm {
  std::unique_ptr<webrtc::AudioProcessing> processing;
  webrtc::StreamConfig stream;
  int noise_level;
  bool gain_control;
};

namespace {

// The key under which the library looks for the ExperimentalAgc option: webrtc::Config keys its
// options by the address of a static in an inline template (`Config::identifier<T>()`'s
// `id_placeholder`), and the library's `Config::Get<ExperimentalAgc>` takes the library's own
// copy (a unique symbol). Linked at build time, the library bound that symbol to the copy this
// shim's `Config::Set` uses; loaded with dlopen, it does not wherever this shim's copy is not
// exported to it (a test process, the Python package's library), and the option went unseen:
// the experimental AGC stayed on. So `audioprep_apm_load` looks the library's copy up and the
// specialisation below keys the option with it, in every process alike.
void *experimental_agc_key = nullptr;

}  // namespace

namespace webrtc {
template <>
Config::OptionIdentifier Config::identifier<ExperimentalAgc>() {
  return experimental_agc_key;
}
}  // namespace webrtc

namespace {

// webrtc::AudioProcessing::Create, the one function of the library the shim calls by its name
// (everything else is a virtual call on what it returns, or inline in the headers), found by
// `audioprep_apm_load` in the library loaded with dlopen.
using CreateFunction = webrtc::AudioProcessing *(*)(const webrtc::Config &);
CreateFunction create_processing = nullptr;

// Applies the settings after creation and after every Initialize (which keeps them, but a
// failure to set one should be seen at once).
int configure(AudioprepApm *apm) {
  webrtc::NoiseSuppression *noise = apm->processing->noise_suppression();
  if (apm->noise_level >= 0) {
    static const webrtc::NoiseSuppression::Level levels[] = {
        webrtc::NoiseSuppression::kLow, webrtc::NoiseSuppression::kModerate,
        webrtc::NoiseSuppression::kHigh, webrtc::NoiseSuppression::kVeryHigh};
    if (int error = noise->set_level(levels[apm->noise_level])) return error;
    if (int error = noise->Enable(true)) return error;
  }
  if (apm->gain_control) {
    webrtc::GainControl *gain = apm->processing->gain_control();
    // No analog volume to steer offline: the gain is applied to the samples.
    if (int error = gain->set_mode(webrtc::GainControl::kAdaptiveDigital)) return error;
    if (int error = gain->set_target_level_dbfs(3)) return error;
    if (int error = gain->set_compression_gain_db(9)) return error;
    if (int error = gain->enable_limiter(true)) return error;
    if (int error = gain->Enable(true)) return error;
  }
  return 0;
}

}  // namespace

extern "C" const char *audioprep_apm_load(void) {
  void *library = dlopen("libwebrtc_audio_processing.so.1", RTLD_LAZY | RTLD_LOCAL);
  if (!library) return dlerror();
  create_processing = reinterpret_cast<CreateFunction>(dlsym(library, "_ZN6webrtc15AudioProcessing6CreateERKNS_6ConfigE"));
  if (!create_processing) return "webrtc::AudioProcessing::Create";
  experimental_agc_key = dlsym(library, "_ZZN6webrtc6Config10identifierINS_15ExperimentalAgcEEEPvvE14id_placeholder");
  if (!experimental_agc_key) return "webrtc::Config::identifier<webrtc::ExperimentalAgc>";
  return nullptr;
}

extern "C" AudioprepApm *audioprep_apm_create(int sample_rate, int channels, int noise_level, int gain_control) {
  if (!create_processing) return nullptr;
  if (sample_rate != 8000 && sample_rate != 16000 && sample_rate != 32000 && sample_rate != 48000) return nullptr;
  if (channels < 1 || noise_level < -1 || noise_level > 3) return nullptr;
  webrtc::Config config;
  // The "experimental" AGC (on by default in 0.3) steers a microphone's analog volume and forces
  // the digital stage to a fixed gain; there is no microphone here.
  config.Set<webrtc::ExperimentalAgc>(new webrtc::ExperimentalAgc(false));
  std::unique_ptr<AudioprepApm> apm(new AudioprepApm);
  apm->processing.reset(create_processing(config));
  if (!apm->processing) return nullptr;
  apm->stream = webrtc::StreamConfig(sample_rate, channels);
  apm->noise_level = noise_level;
  apm->gain_control = gain_control != 0;
  webrtc::ProcessingConfig processing = {{apm->stream, apm->stream, apm->stream, apm->stream}};
  if (apm->processing->Initialize(processing) != 0) return nullptr;
  if (configure(apm.get()) != 0) return nullptr;
  return apm.release();
}

extern "C" int audioprep_apm_frame_length(const AudioprepApm *apm) { return static_cast<int>(apm->stream.num_frames()); }

extern "C" int audioprep_apm_process(AudioprepApm *apm, float *const *channels) {
  return apm->processing->ProcessStream(channels, apm->stream, apm->stream, channels);
}

extern "C" int audioprep_apm_reset(AudioprepApm *apm) {
  webrtc::ProcessingConfig processing = {{apm->stream, apm->stream, apm->stream, apm->stream}};
  if (int error = apm->processing->Initialize(processing)) return error;
  return configure(apm);
}

extern "C" void audioprep_apm_free(AudioprepApm *apm) { delete apm; }
