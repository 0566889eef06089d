import Foundation
import XCTest

/// The package's root directory (where Package.swift is).
package let repositoryDirectory = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The package's Fixtures directory.
package let fixtures = repositoryDirectory + "/Fixtures"

/// The folder holding the built products (`.build/debug`), where the built `audioprep` is.
package let productsDirectory: URL = {
  for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
    return bundle.bundleURL.deletingLastPathComponent()
  }
  return Bundle.main.bundleURL
}()

/// A fresh directory removed after the test.
package func scratchDirectory(_ test: XCTestCase) throws -> String {
  let path = NSTemporaryDirectory() + "audioprep-test-" + UUID().uuidString
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
  return path
}

/// The names in `path`, sorted.
package func directoryListing(_ path: String) -> [String] {
  ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
}

/// Every file in `directory`, recursively, relative to it and sorted; hidden ones included.
package func allFiles(_ directory: String) -> [String] {
  (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? []).sorted()
}

/// Names in `directory` that look like audioprep's temporary files.
package func temporaryFiles(_ directory: String) -> [String] {
  allFiles(directory).filter { $0.contains(".audioprep-") && $0.hasSuffix(".tmp") }
}
