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
    /// A server still running `within` seconds after the signal is killed and reported with
    /// status -1, so a hang fails the test instead of stalling the suite.
    func stop(signal: Int32 = SIGTERM, within seconds: Double = 20) -> (status: Int32, out: String) {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return (-1, "still running \(seconds) s after signal \(signal)")
        }
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

    /// The port the server listens on.
    var port: Int { Int(address.split(separator: ":").last!.dropLast())! }

    /// One request written byte for byte (so Host and Origin are what a hostile page's browser
    /// would send); returns the status line and headers of the answer, and its body.
    func raw(_ head: String, body: String = "") throws -> (head: String, body: String) {
        let fd = try loopbackSocket(port: port)
        defer { close(fd) }
        let text = head.replacingOccurrences(of: "\n", with: "\r\n") + "Connection: close\r\n\r\n" + body
        _ = text.utf8CString.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count - 1, 0) }
        var answer = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            answer += buffer[0..<n]
            // A WebSocket upgrade keeps the connection open: its head is all there is to read.
            if String(decoding: answer, as: UTF8.self).hasPrefix("HTTP/1.1 101"), answer.count >= 4,
                String(decoding: answer, as: UTF8.self).contains("\r\n\r\n")
            {
                break
            }
        }
        let all = String(decoding: answer, as: UTF8.self)
        guard let split = all.range(of: "\r\n\r\n") else { return (all, "") }
        return (String(all[..<split.lowerBound]), String(all[split.upperBound...]))
    }
}

/// A TCP connection to 127.0.0.1:`port` whose reads time out after 20 s.
func loopbackSocket(port: Int) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    var timeout = timeval(tv_sec: 20, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(fd)
        throw POSIXError(.ECONNREFUSED)
    }
    return fd
}

/// A WebSocket client written by hand on a raw socket, for what a browser would never send (a
/// fragmented oversize message) and never do (stay silent when the server closes).
final class RawWebSocket {
    let fd: Int32

    /// Connects and upgrades, with the server's own Origin.
    init(port: Int) throws {
        fd = try loopbackSocket(port: port)
        let head =
            "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://127.0.0.1:\(port)\r\n\r\n"
        write(Array(head.utf8))
        var answer = [UInt8]()
        while !String(decoding: answer, as: UTF8.self).contains("\r\n\r\n") {
            guard let b = readByte() else { throw POSIXError(.EPROTO) }
            answer.append(b)
        }
        guard String(decoding: answer, as: UTF8.self).hasPrefix("HTTP/1.1 101") else { throw POSIXError(.EPROTO) }
    }

    deinit { close(fd) }

    func write(_ bytes: [UInt8]) { _ = bytes.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }

    func readByte() -> UInt8? {
        var b: UInt8 = 0
        return recv(fd, &b, 1, 0) == 1 ? b : nil
    }

    /// Sends one masked frame (opcode 1 text, 0 continuation, 8 close).
    func frame(opcode: UInt8, final: Bool, _ payload: [UInt8]) {
        var out: [UInt8] = [(final ? 0x80 : 0) | opcode]
        switch payload.count {
        case ..<126: out.append(0x80 | UInt8(payload.count))
        case ..<65536: out += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
        default: out.append(0x80 | 127); out += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xff) }
        }
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        out += mask
        out += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        write(out)
    }

    /// The server's frames until it closes (opcode and payload as text), or the read times out.
    func framesUntilClose() -> [(opcode: UInt8, text: String)] {
        var frames: [(UInt8, String)] = []
        while let b0 = readByte(), let b1 = readByte() {
            var length = Int(b1 & 0x7f)
            if length >= 126 {
                var n = 0
                for _ in 0..<(length == 126 ? 2 : 8) { guard let b = readByte() else { return frames }; n = n << 8 | Int(b) }
                length = n
            }
            var payload = [UInt8]()
            for _ in 0..<length { guard let b = readByte() else { return frames }; payload.append(b) }
            frames.append((b0 & 0x0f, String(decoding: payload, as: UTF8.self)))
            if b0 & 0x0f == 8 { break }
        }
        return frames
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
        // Within every per-field limit, a dense network × 50 replicates × 2 runs at once is ~240 GB:
        // refused before anything is built, with the estimate.
        let dense = try server.request(
            "/api/check", method: "POST",
            body: Data(
                #"{"set": {"population.persons": 200000, "influence.network": "erdos_renyi", "influence.mean_degree": 1000}, "replicates": 50}"#
                    .utf8))
        #expect(dense.status == 413 && dense.body.contains("MiB with 2 such runs at once"), "\(dense.status) \(dense.body)")
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

    /// A page on another web site, open in the same browser, must not be able to use the server:
    /// DNS rebinding (a foreign name resolving to 127.0.0.1) fails on Host, a cross-site request
    /// on Origin, framing on the headers, and the page cannot make the server read a file.
    @Test func aForeignPageCannotUseTheServer() throws {
        let server = try ServedExplorer()
        defer { _ = server.stop() }
        let here = "127.0.0.1:\(server.port)"
        let check = #"{"preset": "majority"}"#
        func post(host: String, origin: String?, body: String = check) throws -> (head: String, body: String) {
            var head = "POST /api/check HTTP/1.1\nHost: \(host)\nContent-Type: application/json\nContent-Length: \(body.utf8.count)\n"
            if let origin { head += "Origin: \(origin)\n" }
            return try server.raw(head, body: body)
        }
        // The page's own requests, by every loopback name.
        for host in [here, "localhost:\(server.port)", "LOCALHOST:\(server.port)"] {
            let ok = try post(host: host, origin: "http://\(host)")
            #expect(ok.head.hasPrefix("HTTP/1.1 200"), "\(host): \(ok.head)")
        }
        #expect(try post(host: here, origin: nil).head.hasPrefix("HTTP/1.1 200"), "scripts send no Origin")
        // DNS rebinding: the browser names the attacker's host.
        let rebound = try post(host: "evil.example:\(server.port)", origin: "http://evil.example:\(server.port)")
        #expect(rebound.head.hasPrefix("HTTP/1.1 421") && rebound.body.contains("answers only requests addressed to"), "\(rebound)")
        #expect(try post(host: "127.0.0.1:1", origin: nil).head.hasPrefix("HTTP/1.1 421"), "another port is another server")
        let hostless = try server.raw("GET / HTTP/1.1\n").head
        #expect(hostless.hasPrefix("HTTP/1.1 421") || hostless.hasPrefix("HTTP/1.1 400"), "no Host at all: \(hostless)")
        // A cross-site request to the right host.
        let foreign = try post(host: here, origin: "https://evil.example")
        #expect(foreign.head.hasPrefix("HTTP/1.1 403") && foreign.body.contains("pages of other sites"), "\(foreign)")
        #expect(try post(host: here, origin: "http://\(here).evil.example").head.hasPrefix("HTTP/1.1 403"))
        // The WebSocket: no upgrade for a foreign page, an upgrade for the server's own.
        func upgrade(origin: String) throws -> String {
            try server.raw(
                "GET /ws HTTP/1.1\nHost: \(here)\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Version: 13\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nOrigin: \(origin)\n"
            ).head
        }
        #expect(try upgrade(origin: "http://\(here)").hasPrefix("HTTP/1.1 101"), "the page's own socket opens")
        #expect(try !upgrade(origin: "http://evil.example").hasPrefix("HTTP/1.1 101"), "a foreign page's socket does not")
        // Every answer forbids framing and content sniffing, refusals included.
        for answer in [try post(host: here, origin: nil), rebound, foreign] {
            let head = answer.head.lowercased()
            #expect(head.contains("x-frame-options: deny") && head.contains("frame-ancestors 'none'") && head.contains("x-content-type-options: nosniff"))
        }
        // A file named in a request is neither read nor described.
        let probe = try post(
            host: here, origin: nil, body: #"{"set": {"councils.rollout": "{table_file: /etc/passwd}"}}"#)
        #expect(probe.head.hasPrefix("HTTP/1.1 422") && probe.body.contains("cannot be set from the page"), "\(probe)")
        #expect(!probe.body.contains("passwd") && !probe.body.contains("header"), "\(probe.body)")
        // A limit cannot be passed by giving a key twice.
        let twice = try post(host: here, origin: nil, body: #"{"replicates": 2, "replicates": 60}"#)
        #expect(twice.head.hasPrefix("HTTP/1.1 400") && twice.body.contains("given twice"), "\(twice)")
    }

    /// A message over the limit sent in fragments (each under the frame limit) is answered
    /// with the limit's error, not a silent close.
    @Test func anOversizeFragmentedMessageGetsTheLimitsError() throws {
        let server = try ServedExplorer()
        defer { _ = server.stop() }
        let socket = try RawWebSocket(port: server.port)
        let half = [UInt8](repeating: UInt8(ascii: "x"), count: 40_000)
        socket.frame(opcode: 1, final: false, half)
        socket.frame(opcode: 0, final: true, half)
        let frames = socket.framesUntilClose()
        #expect(frames.contains { $0.opcode == 1 && $0.text.contains("\"status\":413") && $0.text.contains("limit of 65536") }, "\(frames.map(\.text))")
        #expect(try server.request("/api/schema").status == 200, "still serving")
    }

    /// Ctrl-C or SIGTERM stops the server promptly even when a page's socket never answers the
    /// close, and a connection that sent half a request does not hold it either.
    @Test func stopsWithinSecondsWhateverItsClientsDo() throws {
        let server = try ServedExplorer()
        let silent = try RawWebSocket(port: server.port)  // upgraded, then never reads or writes again
        let half = try loopbackSocket(port: server.port)
        defer { close(half) }
        let partial = "POST /api/check HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nContent-Length: 1000\r\n\r\n{"
        _ = partial.withCString { send(half, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        let start = Date()
        let stopped = server.stop()
        let took = Date().timeIntervalSince(start)
        #expect(stopped.status == 0, "\(stopped)")
        #expect(took < 5, "stopping took \(took) s with a silent socket and a half-sent request open")
        _ = silent
    }

    /// A bounded attack: sixty sockets at once, each with something a server must survive
    /// (garbage, a TLS hello, a bad or huge Content-Length, a 1 MiB header, a half-sent body,
    /// nothing at all). The server still answers a good request, and stops within 5 s of SIGTERM
    /// with them all still open.
    @Test func survivesMalformedRequestsSlowBodiesAndManySockets() throws {
        let server = try ServedExplorer()
        let host = "Host: 127.0.0.1:\(server.port)\r\n"
        let attacks: [[UInt8]] = [
            Array("\u{0}\u{1}garbage\r\n\r\n".utf8),
            [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03],  // a TLS ClientHello's start
            Array("POST /api/check HTTP/1.1\r\n\(host)Content-Length: -5\r\n\r\n{}".utf8),
            Array("POST /api/check HTTP/1.1\r\n\(host)Content-Length: 99999999999999999999\r\n\r\n{}".utf8),
            Array(("GET / HTTP/1.1\r\n\(host)X-Big: " + String(repeating: "a", count: 1 << 20) + "\r\n\r\n").utf8),
            Array("POST /api/check HTTP/1.1\r\n\(host)Content-Length: 5000\r\n\r\n{\"pre".utf8),
            [],
        ]
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        for k in 0..<60 {
            let fd = try loopbackSocket(port: server.port)
            sockets.append(fd)
            let bytes = attacks[k % attacks.count]
            if !bytes.isEmpty { _ = bytes.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
        }
        let good = try server.request("/api/check", method: "POST", body: Data(#"{"preset": "majority"}"#.utf8))
        #expect(good.status == 200, "a good request is still answered: \(good.status)")
        let start = Date()
        let stopped = server.stop()
        #expect(stopped.status == 0 && Date().timeIntervalSince(start) < 5, "\(stopped), took \(Date().timeIntervalSince(start)) s")
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
