import ArgumentParser
import DSP

/// The `audioprep` command: `process` is the default subcommand.
@main
struct AudioPrep: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audioprep",
    abstract: "Prepare recordings for speech recognition: mono, 16 kHz, high-pass 80 Hz, gain ×1.5.",
    discussion: ExitStatus.helpText,
    version: AudioPrepVersion.text,
    subcommands: [
      ProcessCommand.self, BatchCommand.self, ManifestCommand.self, VerifyCommand.self, InfoCommand.self,
      ResponseCommand.self,
    ],
    defaultSubcommand: ProcessCommand.self)
}
