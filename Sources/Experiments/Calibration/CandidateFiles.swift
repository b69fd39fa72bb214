import Dispatch
import Foundation

/// Distances of numbered candidates simulated elsewhere: by the array tasks of a cluster job,
/// each given a range of candidate numbers of the calibration's next generation. A task writes
/// its range to `OUT/candidates/g<generation>-<from>-<to>.csv`, headed by the inputs' digest and
/// the generation's tolerance; the driver (`calibrate --from-candidates`) takes distances from
/// these files in candidate order, exactly as a local run takes them from its own simulations,
/// so the posterior is the same byte for byte.
///
/// ```
/// # parecon-sim calibration candidates: digest=9f2c… generation=1 epsilon=0.8312
/// candidate,distance
/// 0,0.4113
/// 1,inf
/// ```
public enum CandidateFiles {
    /// The folder inside a calibration's output folder that holds them.
    public static let folderName = "candidates"
    /// What the driver writes when it needs more: "GENERATION FROM COUNT" (COUNT a suggestion).
    public static let neededName = "needed"

    /// A distance as text that reads back to the same Double ("inf" for infinity).
    static func text(_ x: Double) -> String { x == .infinity ? "inf" : "\(x)" }
    static func number(_ s: Substring) -> Double? { s == "inf" ? .infinity : Double(s).flatMap { $0.isNaN ? nil : $0 } }

    static func header(digest: String, generation: Int, epsilon: Double) -> String {
        "# parecon-sim calibration candidates: digest=\(digest) generation=\(generation) epsilon=\(text(epsilon))"
    }

    /// Writes one task's distances (atomically: a file is there whole or not at all).
    static func write(
        _ distances: [(candidate: Int, distance: Double)], range: ClosedRange<Int>, generation: Int, epsilon: Double,
        digest: String, folder: String
    ) throws(ResultFolderError) -> String {
        let dir = folder + "/" + folderName
        try ResultFolder.prepare(dir, force: true, room: 0)
        var out = header(digest: digest, generation: generation, epsilon: epsilon) + "\ncandidate,distance\n"
        for (k, d) in distances { out += "\(k),\(text(d))\n" }
        let name = "g\(generation)-\(range.lowerBound)-\(range.upperBound).csv"
        try ResultFolder.write(out, to: dir, name: name)
        return dir + "/" + name
    }

    /// Every distance given for `generation` in `folder`'s candidate files, or what is wrong
    /// with one of them (a file of other inputs or another tolerance is an error, not ignored:
    /// it would mean the tasks ran on another state than the driver's).
    static func read(folder: String, generation: Int, epsilon: Double, digest: String) throws(CalibrationError) -> [Int: Double] {
        let dir = folder + "/" + folderName
        let prefix = "g\(generation)-"
        let names: [String]
        do { names = try ResultFolder.listing(dir, missingIsEmpty: true).filter { $0.hasPrefix(prefix) && $0.hasSuffix(".csv") } } catch {
            throw .folder(error)
        }
        let expected = header(digest: digest, generation: generation, epsilon: epsilon)
        var distances: [Int: Double] = [:]
        for name in names.sorted() {
            let path = dir + "/" + name
            let text: String
            do { text = try InputFile.text(path, limit: 256 << 20) } catch { throw .damagedState(path, error.description) }
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last == "" { lines.removeLast() }
            guard lines.count >= 2, lines[1] == "candidate,distance" else {
                throw .damagedState(path, "not a candidates file (expected its header line and 'candidate,distance')")
            }
            guard lines[0] == expected else {
                throw .damagedState(
                    path,
                    "simulated for other inputs or another tolerance than generation \(generation)'s (\(CandidateFiles.text(epsilon))) of this calibration; remove the file and simulate its candidates again"
                )
            }
            for (i, line) in lines.dropFirst(2).enumerated() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                guard cells.count == 2, let k = Int(cells[0]), k >= 0, let d = number(cells[1]), d >= 0 else {
                    throw .damagedState(path, "line \(i + 3): expected CANDIDATE,DISTANCE (a number ≥ 0 or inf)")
                }
                if let earlier = distances[k], earlier != d {
                    throw .damagedState(path, "candidate \(k) is given two different distances")
                }
                distances[k] = d
            }
        }
        return distances
    }
}

extension Calibration {
    /// What an array task did: which generation, how many candidates it simulated, and where
    /// it wrote them.
    public struct CandidateBatch: Sendable {
        public var generation: Int
        public var simulated: Int
        public var file: String
    }

    /// Simulates candidates `numbers` of the next generation of the calibration in `folder`
    /// (generation 0 when it holds none yet) and writes their distances for the driver. Reads
    /// the saved state as a resume does (checked the same way) and writes nothing else, so any
    /// number of tasks may run at once on one folder.
    public func simulateCandidates(_ numbers: ClosedRange<Int>, folder: String, threads: Int) throws(CalibrationError) -> CandidateBatch {
        let saved = try savedState(folder: folder)
        if saved == nil {
            // No calibration here yet: a task writes only into a folder a calibration may use
            // (empty, or holding other tasks' candidates), never beside a run's results.
            let present: [String]
            do { present = try ResultFolder.listing(folder, missingIsEmpty: true) } catch { throw .folder(error) }
            let foreign = present.filter { name in
                name != FolderLock.fileName && name != CandidateFiles.folderName
                    && !(name.hasPrefix(".") && name.hasSuffix(".partial") && name.count > ".partial".count)
            }
            guard foreign.isEmpty else {
                throw .folder(
                    .malformed(
                        folder,
                        "holds files that are not a calibration's (\(ResultFolder.someNames(foreign))); a candidate task writes only into its calibration's folder (the driver's --out)"
                    ))
            }
        }
        let done = saved?.generations ?? []
        let g = done.count
        guard g < file.settings.generations else {
            throw .nothingLeft(folder + "/" + Self.stateFile, "the calibration has all its \(g) generations")
        }
        let (epsilon, stop) = sampler.tolerance(after: done)
        if let stop { throw .nothingLeft(folder + "/" + Self.stateFile, "generation \(g) will not run (\(stop.rawValue))") }
        guard numbers.upperBound < file.settings.maximumSimulations else {
            throw .beyondBudget(from: numbers.lowerBound, to: numbers.upperBound, budget: file.settings.maximumSimulations)
        }
        let candidates = sampler.candidates(numbers.lowerBound..<(numbers.upperBound + 1), after: done)
        let slots = ResultSlots<Double>(count: candidates.count)
        let next = TicketCounter()
        let replicates = file.replicates
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, candidates.count))) { _ in
            while let i = next.take(below: candidates.count) {
                let c = candidates[i]
                let d = (try? distance(c.theta, seed: c.seed, replicates: replicates, within: epsilon)) ?? .infinity
                slots.store(i, .success(d.isNaN ? .infinity : d))
            }
        }
        let distances = zip(candidates, slots.all()).map { c, slot -> (Int, Double) in
            if case .success(let d)? = slot { (c.number, d) } else { (c.number, .infinity) }
        }
        do throws(ResultFolderError) {
            let path = try CandidateFiles.write(
                distances, range: numbers, generation: g, epsilon: epsilon, digest: file.digest, folder: folder)
            return CandidateBatch(generation: g, simulated: candidates.count, file: path)
        } catch { throw .folder(error) }
    }
}

/// The driver's view of the candidate files: distances per generation, read once each,
/// safe to ask from the sampler's threads.
final class CandidateDistances: @unchecked Sendable {
    private let folder: String, digest: String
    private let lock = NSLock()
    private var generation = -1
    private var distances: [Int: Double] = [:]
    private(set) var failure: CalibrationError?

    init(folder: String, digest: String) { self.folder = folder; self.digest = digest }

    /// Candidate `c`'s distance, or nil when no task has written it (or the files are bad:
    /// then ``failure`` says why).
    func distance(_ c: ABCSMC.Candidate, epsilon: Double) -> Double? {
        lock.lock(); defer { lock.unlock() }
        if failure != nil { return nil }
        if c.generation != generation {
            do throws(CalibrationError) {
                distances = try CandidateFiles.read(folder: folder, generation: c.generation, epsilon: epsilon, digest: digest)
                generation = c.generation
            } catch {
                failure = error
                return nil
            }
        }
        return distances[c.number]
    }
}
