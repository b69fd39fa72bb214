import Dispatch
import Stochastic
import Synchronization

extension Simulation {
    /// Runs `body` once per fixed chunk of persons, spread over `threads` workers.
    ///
    /// Chunk c always covers the same persons and always uses stream c, whichever worker runs
    /// it and in whatever order the chunks run, so results do not depend on the number of
    /// threads. `body` must write only to the persons of its own chunk (or to its chunk's own
    /// slot of per-chunk results), never to anything a worker or an earlier chunk owns.
    ///
    /// Callers move the arrays they write out of `self` first (so that no access to `self`
    /// overlaps the loop) and capture only locals.
    func forEachChunk(_ body: (_ range: Range<Int>, _ stream: RandomStream) -> Void) {
        Self.forEachChunk(persons: population.count, streams: chunkStreams, threads: threads, body)
    }

    static func forEachChunk(
        persons n: Int, streams chunkStreams: [RandomStream], threads: Int,
        _ body: (_ range: Range<Int>, _ stream: RandomStream) -> Void
    ) {
        let chunks = chunkStreams.count
        let size = chunkSize
        let workers = min(threads, chunks)
        if workers <= 1 {
            for c in 0..<chunks { body(c * size..<min(n, (c + 1) * size), chunkStreams[c]) }
            return
        }
        // Each worker takes the next chunk not yet taken: a worker held up (by the host, or
        // by a chunk with more to do) does not hold the others up.
        let next = Atomic<Int>(0)
        onWorkers(workers) { _ in
            while true {
                let c = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard c < chunks else { return }
                body(c * size..<min(n, (c + 1) * size), chunkStreams[c])
            }
        }
    }
}

/// Runs `body(worker)` for worker = 0 ..< `workers`: inline for one worker, otherwise on
/// Dispatch's pool. Callers give each worker disjoint data to write (its own chunks, or its
/// own slot of partial results), which is what makes sharing the closure safe.
func onWorkers(_ workers: Int, _ body: (_ worker: Int) -> Void) {
    if workers <= 1 {
        body(0)
        return
    }
    withoutActuallyEscaping(body) { body in
        let shared = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: workers) { shared.value($0) }
    }
}

/// Carries a value into a concurrent loop whose workers touch disjoint parts of it.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Runs `body` with read-only raw buffers of five arrays (a phase's inputs), so that its hot
/// loop reads them without bounds checks; the buffers must not escape `body`.
@inline(__always)
func withBuffers<A, B, C, D, E, R>(
    _ a: [A], _ b: [B], _ c: [C], _ d: [D], _ e: [E],
    _ body: (UnsafeBufferPointer<A>, UnsafeBufferPointer<B>, UnsafeBufferPointer<C>, UnsafeBufferPointer<D>,
             UnsafeBufferPointer<E>) -> R
) -> R {
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            c.withUnsafeBufferPointer { c in
                d.withUnsafeBufferPointer { d in
                    e.withUnsafeBufferPointer { e in body(a, b, c, d, e) }
                }
            }
        }
    }
}

/// ``withBuffers(_:_:_:_:_:_:)`` for six arrays.
@inline(__always)
func withBuffers<A, B, C, D, E, F, R>(
    _ a: [A], _ b: [B], _ c: [C], _ d: [D], _ e: [E], _ f: [F],
    _ body: (UnsafeBufferPointer<A>, UnsafeBufferPointer<B>, UnsafeBufferPointer<C>, UnsafeBufferPointer<D>,
             UnsafeBufferPointer<E>, UnsafeBufferPointer<F>) -> R
) -> R {
    withBuffers(a, b, c, d, e) { a, b, c, d, e in f.withUnsafeBufferPointer { f in body(a, b, c, d, e, f) } }
}

/// ``withBuffers(_:_:_:_:_:_:)`` for seven arrays.
@inline(__always)
func withBuffers<A, B, C, D, E, F, G, R>(
    _ a: [A], _ b: [B], _ c: [C], _ d: [D], _ e: [E], _ f: [F], _ g: [G],
    _ body: (UnsafeBufferPointer<A>, UnsafeBufferPointer<B>, UnsafeBufferPointer<C>, UnsafeBufferPointer<D>,
             UnsafeBufferPointer<E>, UnsafeBufferPointer<F>, UnsafeBufferPointer<G>) -> R
) -> R {
    withBuffers(a, b, c, d, e, f) { a, b, c, d, e, f in g.withUnsafeBufferPointer { g in body(a, b, c, d, e, f, g) } }
}

/// Runs `body` with mutable raw buffers of three arrays (counts a serial loop writes), each
/// made unique once instead of being checked at every write; the buffers must not escape `body`.
@inline(__always)
func withMutableBuffers<A, B, C, R>(
    _ a: inout [A], _ b: inout [B], _ c: inout [C],
    _ body: (UnsafeMutableBufferPointer<A>, UnsafeMutableBufferPointer<B>, UnsafeMutableBufferPointer<C>) -> R
) -> R {
    a.withUnsafeMutableBufferPointer { a in
        b.withUnsafeMutableBufferPointer { b in
            c.withUnsafeMutableBufferPointer { c in body(a, b, c) }
        }
    }
}
