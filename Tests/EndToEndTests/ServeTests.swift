import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Testing
import TestSupport

/// A running `parecon-sim serve` on a free port, stopped with SIGTERM.
final class ServedExplorer {
    let process = Process()
    let address: String
    private let output = Pipe()

    init(_ arguments: [String] = []) throws {
        process.executableURL = toolURL
        process.arguments = ["serve", "--port", "0", "--scenarios", packageRoot.appendingPathComponent("Scenarios").path] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("\n") && Date() < deadline {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let start = text.range(of: "http://"), let end = text[start.lowerBound...].firstIndex(of: " ") else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "serve printed no address: \(text)"])
        }
        address = String(text[start.lowerBound..<end])
    }

    /// Stops the server as Ctrl-C or a service manager would; returns its status and the rest of its output.
    func stop(signal: Int32 = SIGTERM) -> (status: Int32, out: String) {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        return (process.terminationStatus, String(decoding: rest, as: UTF8.self))
    }

    /// One HTTP request: status, content type and body.
    func request(_ path: String, method: String = "GET", body: Data? = nil) throws -> (status: Int, type: String, body: String) {
        var request = URLRequest(url: URL(string: address + path.dropFirst())!)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, String, String)?
        nonisolated(unsafe) var failure: Error?
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let http = response as? HTTPURLResponse {
                result = (
                    http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", String(decoding: data ?? Data(), as: UTF8.self)
                )
            }
            failure = error
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 30) == .success else { throw URLError(.timedOut) }
        if let result { return result }
        throw failure ?? URLError(.badServerResponse)
    }
}

@Suite("The explorer's server, end to end", .serialized)
struct ServeTests {
    @Test func servesThePageSchemaAndChecksAndStopsCleanlyOnSIGTERM() throws {
        let server = try ServedExplorer(["majority"])
        #expect(server.address.hasPrefix("http://127.0.0.1:"), "binds to the loopback address by default")
        let page = try server.request("/")
        #expect(page.status == 200 && page.type.hasPrefix("text/html") && page.body.contains("<script src=\"/explorer.js\">"))
        let script = try server.request("/explorer.js")
        #expect(script.status == 200 && script.type.hasPrefix("text/javascript") && script.body.contains("new WebSocket"))
        let schema = try server.request("/api/schema")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(schema.body.utf8)) as? [String: Any])
        #expect(object["initial_preset"] as? String == "majority")
        #expect((object["presets"] as? [[String: Any]])?.contains { $0["name"] as? String == "state-led" } == true)
        let good = try server.request(
            "/api/check", method: "POST", body: Data(#"{"preset": "majority", "set": {"voting.rule": "0.6"}}"#.utf8))
        #expect(good.status == 200 && good.body.contains("\"voting.rule\":\"0.6\""))
        let unknown = try server.request("/api/check", method: "POST", body: Data(#"{"set": {"opinion.bta": 1}}"#.utf8))
        #expect(unknown.status == 422 && unknown.body.contains("did you mean 'opinion.beta'"), "\(unknown.body)")
        let big = try server.request("/api/check", method: "POST", body: Data(#"{"set": {"population.persons": 10000000}}"#.utf8))
        #expect(big.status == 413 && big.body.contains("--max-persons"))
        let huge = try server.request(
            "/api/check", method: "POST", body: Data(("{\"preset\": \"" + String(repeating: "x", count: 100_000) + "\"}").utf8))
        #expect(huge.status == 413 && huge.body.contains("limit of 65536 bytes"), "\(huge.status) \(huge.body.prefix(200))")
        let malformed = try server.request("/api/check", method: "POST", body: Data("{".utf8))
        #expect(malformed.status == 400)
        let missing = try server.request("/api/runs/nothing/series.csv")
        #expect(missing.status == 404 && missing.body.contains("no finished run 'nothing'"))
        // Still serving after every bad request.
        #expect(try server.request("/api/schema").status == 200)
        let stopped = server.stop()
        #expect(stopped.status == 0 && stopped.out.contains("stopped"), "\(stopped)")
    }

    @Test func badServeArgumentsAreRefusedClearly() throws {
        let port = try tool(["serve", "--port", "70000"])
        #expect(port.status != 0 && port.err.contains("--port must be between 0 and 65535"))
        let preset = try tool(["serve", "no-such-preset", "--scenarios", packageRoot.appendingPathComponent("Scenarios").path])
        #expect(preset.status != 0 && preset.err.contains("neither a preset") && preset.err.contains("majority"), "\(preset.err)")
        let folder = try tool(["serve", "--scenarios", "/no/such/folder"])
        #expect(folder.status != 0 && folder.err.contains("no such folder"))
        let runs = try tool(["serve", "--max-runs", "0"])
        #expect(runs.status != 0 && runs.err.contains("--max-runs"))
        // A port already taken: a clear message, not a trap.
        let first = try ServedExplorer()
        defer { _ = first.stop() }
        let port2 = String(first.address.split(separator: ":").last!.dropLast())
        let second = try tool(["serve", "--port", port2])
        #expect(second.status != 0 && second.err.contains("cannot serve on 127.0.0.1:\(port2)"), "\(second.err)")
    }
}
