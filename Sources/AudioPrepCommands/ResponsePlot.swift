import DSP
import Glibc

/// Draws a `FrequencyResponse` as an SVG: magnitude (dB) above, phase (degrees) below, on a
/// log-frequency axis, with the cut-off, the −3 dB point and the output Nyquist marked.
struct ResponsePlot {
  let response: FrequencyResponse

  private let width = 900.0, height = 640.0
  private let left = 70.0, right = 30.0
  private let magnitudeTop = 40.0, magnitudeHeight = 330.0
  private let phaseTop = 430.0, phaseHeight = 160.0
  private let decibelRange = (-100.0, 20.0)

  private var lowHz: Double { response.points.first?.hz ?? 10 }
  private var highHz: Double { response.points.last?.hz ?? 8000 }

  /// x position of a frequency on the log axis.
  func x(_ hz: Double) -> Double {
    left + (width - left - right) * (log10(hz) - log10(lowHz)) / (log10(highHz) - log10(lowHz))
  }

  private func yDecibels(_ dB: Double) -> Double {
    let clamped = min(max(dB, decibelRange.0), decibelRange.1)
    return magnitudeTop + magnitudeHeight * (decibelRange.1 - clamped) / (decibelRange.1 - decibelRange.0)
  }

  private func yPhase(_ degrees: Double) -> Double { phaseTop + phaseHeight * (180 - degrees) / 360 }

  private func number(_ value: Double) -> String { Text.fixed(value, 2) }

  var svg: String {
    var out: [String] = []
    out.append(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
        + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">")
    out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
    out.append(
      "<text x=\"\(number(left))\" y=\"22\" font-size=\"15\">audioprep chain response: \(response.inputRate) Hz in, "
        + "\(response.outputRate) Hz out, gain \(Text.fixed(response.gainDecibels, 2)) dB</text>")
    out += frame(top: magnitudeTop, height: magnitudeHeight, label: "magnitude (dB)")
    out += frame(top: phaseTop, height: phaseHeight, label: "high-pass phase (degrees)")
    for dB in stride(from: decibelRange.0, through: decibelRange.1, by: 20) {
      let y = yDecibels(dB)
      out.append(gridLine(x1: left, y1: y, x2: width - right, y2: y))
      out.append("<text x=\"\(number(left - 6))\" y=\"\(number(y + 4))\" text-anchor=\"end\">\(Int(dB))</text>")
    }
    for degrees in stride(from: -180.0, through: 180, by: 90) {
      let y = yPhase(degrees)
      out.append(gridLine(x1: left, y1: y, x2: width - right, y2: y))
      out.append("<text x=\"\(number(left - 6))\" y=\"\(number(y + 4))\" text-anchor=\"end\">\(Int(degrees))</text>")
    }
    for hz in decadeTicks() {
      let x = x(hz)
      out.append(gridLine(x1: x, y1: magnitudeTop, x2: x, y2: magnitudeTop + magnitudeHeight))
      out.append(gridLine(x1: x, y1: phaseTop, x2: x, y2: phaseTop + phaseHeight))
      let label = hz >= 1000 ? "\(Int(hz / 1000))k" : "\(Int(hz))"
      out.append("<text x=\"\(number(x))\" y=\"\(number(magnitudeTop + magnitudeHeight + 16))\" text-anchor=\"middle\">\(label)</text>")
      out.append("<text x=\"\(number(x))\" y=\"\(number(phaseTop + phaseHeight + 16))\" text-anchor=\"middle\">\(label)</text>")
    }
    out.append("<text x=\"\(number(width / 2))\" y=\"\(number(height - 8))\" text-anchor=\"middle\">frequency (Hz, log scale)</text>")

    out.append(curve(id: "filter-magnitude", color: "#1f5fbf", points: response.points.compactMap { p in p.filterDecibels.map { (x(p.hz), yDecibels($0)) } }))
    out.append(curve(id: "resampler-magnitude", color: "#c0392b", points: response.points.compactMap { p in p.resamplerDecibels.map { (x(p.hz), yDecibels($0)) } }))
    out.append(curve(id: "filter-phase", color: "#1f5fbf", points: response.points.compactMap { p in p.filterPhaseDegrees.map { (x(p.hz), yPhase($0)) } }))

    let nyquist = Double(response.outputRate) / 2
    if nyquist < highHz {
      out.append(marker(id: "output-nyquist", hz: nyquist, color: "#888", label: "output Nyquist \(Int(nyquist)) Hz", anchorEnd: true))
    }
    if let cutoff = response.cutoffHz {
      out.append(marker(id: "cutoff", hz: cutoff, color: "#2e8b57", label: "cut-off \(Text.fixed(cutoff, 1)) Hz"))
    }
    if let minus3 = response.minus3dBHz {
      let y = yDecibels(-3 + response.gainDecibels)
      out.append(
        "<circle id=\"minus-3db\" data-hz=\"\(minus3)\" cx=\"\(number(x(minus3)))\" cy=\"\(number(y))\" r=\"5\" fill=\"none\" stroke=\"black\" stroke-width=\"2\"/>")
      out.append("<text x=\"\(number(x(minus3) + 8))\" y=\"\(number(y + 16))\">−3 dB at \(Text.fixed(minus3, 1)) Hz</text>")
    }
    out.append(legend())
    out.append("</svg>")
    return out.joined(separator: "\n") + "\n"
  }

  var csv: String {
    var lines = ["hz,filter_gain_db,filter_phase_deg,resampler_db"]
    for point in response.points {
      lines.append(
        "\(point.hz),\(point.filterDecibels.map { "\($0)" } ?? ""),\(point.filterPhaseDegrees.map { "\($0)" } ?? ""),"
          + "\(point.resamplerDecibels.map { "\($0)" } ?? "")")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private func decadeTicks() -> [Double] {
    var ticks: [Double] = []
    var decade = pow(10, floor(log10(lowHz)))
    while decade <= highHz {
      for multiple in [1.0, 2, 5] where decade * multiple >= lowHz && decade * multiple <= highHz {
        ticks.append(decade * multiple)
      }
      decade *= 10
    }
    return ticks
  }

  private func frame(top: Double, height: Double, label: String) -> [String] {
    [
      "<rect x=\"\(number(left))\" y=\"\(number(top))\" width=\"\(number(width - left - right))\" height=\"\(number(height))\" fill=\"none\" stroke=\"black\"/>",
      "<text x=\"16\" y=\"\(number(top + height / 2))\" transform=\"rotate(-90 16 \(number(top + height / 2)))\" text-anchor=\"middle\">\(label)</text>",
    ]
  }

  private func gridLine(x1: Double, y1: Double, x2: Double, y2: Double) -> String {
    "<line x1=\"\(number(x1))\" y1=\"\(number(y1))\" x2=\"\(number(x2))\" y2=\"\(number(y2))\" stroke=\"#ddd\"/>"
  }

  private func curve(id: String, color: String, points: [(Double, Double)]) -> String {
    let path = points.map { "\(number($0.0)),\(number($0.1))" }.joined(separator: " ")
    return "<polyline id=\"\(id)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(path)\"/>"
  }

  private func marker(id: String, hz: Double, color: String, label: String, anchorEnd: Bool = false) -> String {
    let x = x(hz)
    let labelX = anchorEnd ? x - 4 : x + 4
    return "<g id=\"\(id)\" data-hz=\"\(hz)\"><line x1=\"\(number(x))\" y1=\"\(number(magnitudeTop))\" x2=\"\(number(x))\" "
      + "y2=\"\(number(magnitudeTop + magnitudeHeight))\" stroke=\"\(color)\" stroke-dasharray=\"5,4\"/>"
      + "<text x=\"\(number(labelX))\" y=\"\(number(magnitudeTop + 14))\" fill=\"\(color)\""
      + (anchorEnd ? " text-anchor=\"end\"" : "") + ">\(label)</text></g>"
  }

  private func legend() -> String {
    let x = width - right - 270, y = magnitudeTop + magnitudeHeight - 44
    return "<g id=\"legend\"><rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"262\" height=\"38\" fill=\"white\" stroke=\"#aaa\"/>"
      + "<line x1=\"\(number(x + 8))\" y1=\"\(number(y + 12))\" x2=\"\(number(x + 30))\" y2=\"\(number(y + 12))\" stroke=\"#1f5fbf\" stroke-width=\"2\"/>"
      + "<text x=\"\(number(x + 36))\" y=\"\(number(y + 16))\">high-pass × gain (formula)</text>"
      + "<line x1=\"\(number(x + 8))\" y1=\"\(number(y + 28))\" x2=\"\(number(x + 30))\" y2=\"\(number(y + 28))\" stroke=\"#c0392b\" stroke-width=\"2\"/>"
      + "<text x=\"\(number(x + 36))\" y=\"\(number(y + 32))\">resampler (measured with sines)</text></g>"
  }
}
