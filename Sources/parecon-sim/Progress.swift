import Foundation

/// Progress on stderr: a bar with ETA on a terminal, plain periodic lines otherwise, nothing
/// when quiet.
final class Progress: @unchecked Sendable {
    private let total: Int
    private let quiet: Bool
    private let label: String
    private let unit: String
    private let terminal = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var started = Date()
    private var lastLine = Date.distantPast
    /// Units done before this process started (a resumed sweep); the ETA counts only the rest.
    private var before: Int?

    init(total: Int, quiet: Bool, label: String, unit: String = "replicates") {
        self.total = total; self.quiet = quiet; self.label = label; self.unit = unit
    }

    func start() {
        started = Date()
        if !quiet && !terminal { emit("\(label): running \(total) \(total == 1 ? String(unit.dropLast()) : unit)\n") }
    }

    func update(_ done: Int) {
        guard !quiet else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        let elapsed = now.timeIntervalSince(started)
        // The first report gives the units already done (0 for a fresh start): a baseline, not news.
        if before == nil { before = done; if done < total { return } }
        let fresh = done - (before ?? 0)
        let eta = fresh > 0 ? elapsed / Double(fresh) * Double(total - done) : 0
        if terminal {
            let width = 30, filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            emit(String(format: "\r%@ %@ %d/%d  ETA %.0fs ", label, bar, done, total, eta))
        } else if now.timeIntervalSince(lastLine) >= 5 || done == total {
            lastLine = now
            emit(String(format: "%@: %d/%d %@, %.0fs elapsed, ETA %.0fs\n", label, done, total, unit, elapsed, eta))
        }
    }

    func finish() {
        guard !quiet else { return }
        if terminal { emit("\r" + String(repeating: " ", count: 70) + "\r") }
    }

    private func emit(_ s: String) { FileHandle.standardError.send(Data(s.utf8)) }
}
