import Experiments
import Foundation
import Synchronization
import TransitionModel

/// Runs going on at once, over all connections, up to a limit.
public final class RunGate: Sendable {
    private let running = Mutex(0)
    public let limit: Int

    public init(limit: Int) { self.limit = limit }

    /// Takes a place; false when every place is taken.
    func enter() -> Bool {
        running.withLock {
            guard $0 < limit else { return false }; $0 += 1; return true
        }
    }
    func leave() { running.withLock { $0 -= 1 } }
    public var count: Int { running.withLock { $0 } }
}

/// Finished runs kept for download, the oldest forgotten first.
public final class RunStore: Sendable {
    private let runs = Mutex<[(id: String, token: String, run: FinishedRun)]>([])
    private let capacity: Int

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Keeps `run` under `id`; it is handed out only with `token`, which only the page that
    /// ran it was told (a run id alone, 8 hex digits, could be guessed by another page).
    func keep(_ run: FinishedRun, id: String, token: String) {
        runs.withLock {
            $0.append((id, token, run))
            if $0.count > capacity { $0.removeFirst($0.count - capacity) }
        }
    }

    public func run(_ id: String, token: String) -> FinishedRun? {
        runs.withLock { $0.first { $0.id == id && $0.token == token }?.run }
    }
}

/// One page's conversation with the server: it asks for runs and steers them (pause, step,
/// resume, speed, stop); the session answers with the run's messages (``ExplorerMessages``).
/// One run at a time per page: a new run stops the one before. Closing the session (the page
/// went away) stops its run.
public final class ExplorerSession: @unchecked Sendable {
    private let catalogue: PresetCatalogue
    private let limits: ExplorerLimits
    private let gate: RunGate
    private let store: RunStore
    private let send: @Sendable (String) -> Void
    private let lock = NSLock()
    private var current: LiveRun?
    private var closed = false
    /// Runs of this session not yet ended (for waiting in tests and on close).
    private let ended = DispatchGroup()
    /// Starts runs in the order asked, each after the one before has ended.
    private let starter = DispatchQueue(label: "parecon-sim explorer session")

    public init(
        catalogue: PresetCatalogue, limits: ExplorerLimits, gate: RunGate, store: RunStore, send: @escaping @Sendable (String) -> Void
    ) {
        self.catalogue = catalogue; self.limits = limits; self.gate = gate; self.store = store; self.send = send
    }

    /// Handles one message from the page.
    public func receive(_ text: String) {
        guard text.utf8.count <= limits.maxBody else {
            send(
                ExplorerMessages.error(
                    ExplorerError(.tooLarge, "message of \(text.utf8.count) bytes is above this server's limit of \(limits.maxBody)")))
            return
        }
        do throws(ExplorerError) {
            let object = try RunRequest.object(from: Data(text.utf8))
            guard case .string(let type)? = object["type"] else {
                throw ExplorerError(.malformed, "a message needs a 'type': run, pause, resume, step, speed or stop")
            }
            let live = lock.withLock { current }
            switch type {
            case "run": try start(RunRequest(json: object))
            case "pause": live?.pause()
            case "resume": live?.resume()
            case "step": live?.step()
            case "stop": live?.stop()
            case "speed":
                let speed = try RunRequest.speed(object["speed"] ?? .null)
                live?.setSpeed(speed)
            default:
                throw ExplorerError(.malformed, "unknown message type '\(type)': expected run, pause, resume, step, speed or stop")
            }
        } catch { send(ExplorerMessages.error(error)) }
    }

    /// The page went away: stop its run.
    public func close() {
        let live = lock.withLock {
            closed = true; return current
        }
        live?.stop()
    }

    /// Waits until every run of this session asked for so far has started and ended (true), or
    /// `timeout` seconds passed.
    public func waitForRuns(timeout: Double) -> Bool {
        starter.sync {}
        return ended.wait(timeout: .now() + timeout) == .success
    }

    /// Checks the request at once (errors go back at once), then, in order on the session's own
    /// queue: stops the page's current run, waits for it to end, and starts the new one.
    private func start(_ request: RunRequest) throws(ExplorerError) {
        let scenario = try request.resolve(catalogue, limits: limits)
        lock.withLock { current }?.stop()
        starter.async { [self] in
            _ = ended.wait(timeout: .now() + 120)
            guard gate.enter() else {
                send(
                    ExplorerMessages.error(
                        ExplorerError(
                            .busy, "this server is already running \(gate.limit) runs (its limit, serve --max-runs): wait for one to end")))
                return
            }
            let live = LiveRun(
                scenario: scenario, replicates: request.replicates, monthsPerSecond: request.speed, startPaused: request.paused)
            let refused: Bool = lock.withLock {
                if closed { return true }
                current = live
                return false
            }
            if refused { gate.leave(); return }
            launch(live)
        }
    }

    private func launch(_ live: LiveRun) {
        let id = String(UUID().uuidString.prefix(8)).lowercased()
        ended.enter()
        send(ExplorerMessages.started(run: id, live))
        let send = self.send, store = self.store, gate = self.gate, ended = self.ended
        let thread = Thread {
            defer { gate.leave(); ended.leave() }
            var lastMonth = 0
            do throws(ModelError) {
                try live.run { event in
                    switch event {
                    case .month(let frame): lastMonth = frame.month; send(ExplorerMessages.month(run: id, frame))
                    case .workplaces(let snapshot): send(ExplorerMessages.workplaces(run: id, snapshot))
                    case .paused(let month): send(ExplorerMessages.event(run: id, "paused", month: month))
                    case .stopped(let month): send(ExplorerMessages.event(run: id, "stopped", month: month))
                    case .finished(let finished):
                        let token = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
                        store.keep(finished, id: id, token: token)
                        send(ExplorerMessages.finished(run: id, token: token, month: lastMonth))
                    }
                }
            } catch {
                send(ExplorerMessages.error(ExplorerError(.invalid, "the model refused the scenario: \(error)")))
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
