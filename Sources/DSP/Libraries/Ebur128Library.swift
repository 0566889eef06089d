import CEbur128

/// libebur128, loaded on first use (`cebur128_load`): a run that measures no loudness never maps
/// it.
enum Ebur128Library {
  private static let loaded: Result<cebur128_api, DSPError> = {
    var api = cebur128_api()
    if let failure = cebur128_load(&api) {
      return .failure(.libraryFailure("libebur128 cannot be loaded (\(String(cString: failure)))"))
    }
    return .success(api)
  }()

  /// The function table; throws when the library is missing.
  static func load() throws(DSPError) -> cebur128_api { try loaded.get() }
}
