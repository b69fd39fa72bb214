import Dispatch
import Foundation

/// What happens on Ctrl-C (SIGINT), SIGTERM, SIGQUIT and SIGHUP (a closed terminal or SSH
/// session): the tool says what it kept and how to
/// go on, then exits with 128 + the signal number. Every result file is written whole (temporary
/// file, then rename) and every resumable command keeps its finished work as it goes, so stopping
/// at any moment loses at most the work in progress — the message says where the rest is.
enum Interruption {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var note = "nothing was written"
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    nonisolated(unsafe) private static var signals = 0

    /// Says what an interruption from now on would leave behind.
    static func set(_ text: String) {
        lock.lock(); note = text; lock.unlock()
    }

    /// Leaves SIGINT and SIGTERM to a command that shuts down by itself (the explorer's server
    /// stops its runs and closes its connections), with a bound: if it has not finished
    /// `grace` seconds after the first signal, or a second signal comes, the process exits
    /// with `message` on standard output. A connection that never answers cannot keep it alive.
    static func handOver(grace: Double, message: String) {
        for source in sources { source.cancel() }
        sources = []
        let leave: @Sendable () -> Never = {
            FileHandle.standardOutput.send(Data((message + "\n").utf8))
            _exit(0)
        }
        for sig in [SIGINT, SIGTERM] {
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                lock.lock(); signals += 1; let first = signals == 1; lock.unlock()
                if first {
                    DispatchQueue.global().asyncAfter(deadline: .now() + grace) { leave() }
                } else {
                    leave()
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Replaces the default handlers (SIGQUIT's is a backtrace, after which work would go on).
    static func install() {
        // A reader that goes away (`parecon-sim … | head`) must not end the work by SIGPIPE: writes
        // to the closed pipe fail instead, and are dropped (`FileHandle.send`, `print`).
        signal(SIGPIPE, SIG_IGN)
        for sig in [SIGINT, SIGTERM, SIGQUIT, SIGHUP] {
            let previous = signal(sig, SIG_IGN)
            // Started under nohup (SIGHUP ignored): keep ignoring it, as the user asked.
            if sig == SIGHUP, let previous, unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                lock.lock(); let text = note; lock.unlock()
                let name = sig == SIGINT ? "interrupted" : sig == SIGTERM ? "terminated" : sig == SIGHUP ? "hung up" : "quit"
                FileHandle.standardError.send(Data("\n\(name): \(text)\n".utf8))
                _exit(128 + sig)
            }
            source.resume()
            sources.append(source)
        }
    }
}

extension FileHandle {
    /// Writes to a standard stream, dropping the text when its reader has gone (a closed pipe,
    /// `… | head`): the work and the files it writes go on, where `write(_:)` would trap.
    func send(_ data: Data) { try? write(contentsOf: data) }
}
