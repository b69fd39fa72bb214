import Foundation
import TransitionModel

/// The server's WebSocket messages as JSON text, one object each, with a `type`:
///
/// - `started`: `run` (its id), `name`, `horizon`, `replicates`, `persons`, `columns` (the names
///   of `MetricsRecord.columns`, the order of every `month`'s values);
/// - `month`: `run`, `month`, `v` (per column: mean, 5% and 95% over replicates);
/// - `workplaces`: `run`, `month`, `cells` (per open workplace of the first replicate: index,
///   neighbourhood, kind, origin, state, co-managed 0/1, owner (−1: none, else 1·BJC + 2·pay),
///   then members, supporting BJC and supporting pay for workers, coordinators and volunteers);
/// - `paused`, `stopped`: `run`, `month`;
/// - `finished`: `run`, `month`, `yaml` and `csv` (download addresses);
/// - `error`: `message`, `status` (the HTTP status the same request would get).
enum ExplorerMessages {
    static func started(run: String, _ live: LiveRun) -> String {
        let s = live.scenario.scenario
        let columns = MetricsRecord.columns.map { quoted($0.name) }.joined(separator: ",")
        return "{\"type\":\"started\",\"run\":\(quoted(run)),\"name\":\(quoted(s.name)),\"horizon\":\(s.horizon),"
            + "\"replicates\":\(live.replicates),\"persons\":\(s.population.persons),\"columns\":[\(columns)]}"
    }

    static func month(run: String, _ frame: MonthFrame) -> String {
        var out = "{\"type\":\"month\",\"run\":\(quoted(run)),\"month\":\(frame.month),\"v\":["
        for (n, v) in frame.values.enumerated() {
            if n > 0 { out += "," }
            out += "[\(number(v[0])),\(number(v[1])),\(number(v[2]))]"
        }
        return out + "]}"
    }

    static func workplaces(run: String, _ snapshot: WorkplaceSnapshot) -> String {
        var out = "{\"type\":\"workplaces\",\"run\":\(quoted(run)),\"month\":\(snapshot.month),\"cells\":["
        out.reserveCapacity(snapshot.cells.count * 48)
        for (n, c) in snapshot.cells.enumerated() {
            if n > 0 { out += "," }
            let owner = c.owner.map { ($0.bjc ? 1 : 0) + ($0.pay ? 2 : 0) } ?? -1
            var fields = [
                c.index, c.neighbourhood, Int(c.kind.rawValue), Int(c.origin.rawValue), c.state.rawValue, c.comanaged ? 1 : 0, owner,
            ]
            for s in c.stances { fields += s }
            out += "[" + fields.map(String.init).joined(separator: ",") + "]"
        }
        return out + "]}"
    }

    static func event(run: String, _ name: String, month: Int) -> String {
        "{\"type\":\(quoted(name)),\"run\":\(quoted(run)),\"month\":\(month)}"
    }

    static func finished(run: String, token: String, month: Int) -> String {
        "{\"type\":\"finished\",\"run\":\(quoted(run)),\"month\":\(month),"
            + "\"yaml\":\(quoted("/api/runs/\(run)/scenario.yaml?token=\(token)")),\"csv\":\(quoted("/api/runs/\(run)/series.csv?token=\(token)"))}"
    }

    static func error(_ e: ExplorerError) -> String {
        "{\"type\":\"error\",\"status\":\(e.status),\"message\":\(quoted(e.message))}"
    }

    /// A JSON string literal.
    static func quoted(_ s: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }

    /// A JSON number with 6 significant digits, or null when not finite.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded() && abs(x) < 1e12 { return String(Int(x)) }
        return String(format: "%.6g", x)
    }
}
