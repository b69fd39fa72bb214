import Dispatch
import Stochastic

extension Simulation {
    /// Runs `body` once per fixed chunk of persons, spread over `threads` workers.
    ///
    /// Chunk c always covers the same persons and always uses stream c, whichever worker runs
    /// it, so results do not depend on the number of threads. `body` must write only to the
    /// persons of its own chunk.
    ///
    /// Callers move the arrays they write out of `self` first (so that no access to `self`
    /// overlaps the loop) and capture only locals.
    func forEachChunk(_ body: (_ range: Range<Int>, _ stream: RandomStream) -> Void) {
        Self.forEachChunk(persons: population.count, streams: chunkStreams, threads: threads, body)
    }

    static func forEachChunk(persons n: Int, streams chunkStreams: [RandomStream], threads: Int,
                             _ body: (_ range: Range<Int>, _ stream: RandomStream) -> Void) {
        let chunks = chunkStreams.count
        let size = chunkSize
        let workers = min(threads, chunks)
        if workers <= 1 {
            for c in 0..<chunks { body(c * size ..< min(n, (c + 1) * size), chunkStreams[c]) }
            return
        }
        withoutActuallyEscaping(body) { body in
            // Safe to share: chunk c is run by exactly one worker, with its own stream, and
            // `body` writes only to the persons of the chunk it is given.
            let sharedBody = UncheckedSendable(body)
            let sharedStreams = UncheckedSendable(chunkStreams)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var c = worker
                while c < chunks {
                    sharedBody.value(c * size ..< min(n, (c + 1) * size), sharedStreams.value[c])
                    c += workers
                }
            }
        }
    }
}

/// Carries a value into a concurrent loop whose workers touch disjoint parts of it.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
