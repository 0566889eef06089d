import CSoxr

/// libsoxr, loaded on first use (`csoxr_load`): a run that does not resample with it never maps
/// it, nor the libgomp it needs.
enum SoxrLibrary {
  private static let loaded: Result<csoxr_api, DSPError> = {
    var api = csoxr_api()
    if let failure = csoxr_load(&api) {
      return .failure(.libraryFailure("libsoxr cannot be loaded (\(String(cString: failure)))"))
    }
    return .success(api)
  }()

  /// The function table; throws when the library is missing.
  static func load() throws(DSPError) -> csoxr_api { try loaded.get() }
}
