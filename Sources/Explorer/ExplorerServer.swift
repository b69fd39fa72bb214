import Experiments
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// The explorer's local web server: the page (plain HTML, CSS and JavaScript), the schema its
/// controls are built from, checks of a parameter set, downloads of finished runs, and runs
/// streamed month by month over a WebSocket.
///
/// Routes:
/// - `GET /`, `/explorer.js`, `/explorer.css`: the page;
/// - `GET /api/schema`: parameters, levers, presets, series columns, limits (``ExplorerSchema``);
/// - `POST /api/check` with a ``RunRequest``: every parameter's value and the resolved YAML, or
///   the command line's message for the same mistake (4xx);
/// - `GET /api/runs/ID/scenario.yaml?token=T`, `/api/runs/ID/series.csv?token=T`: a finished
///   run, for the page that ran it (the token comes with its `finished` message);
/// - `GET /ws`: the WebSocket (``ExplorerSession``, ``ExplorerMessages``).
public struct ExplorerServer: Sendable {
    public var host: String
    public var port: Int
    public var catalogue: PresetCatalogue
    public var limits: ExplorerLimits
    /// The preset the page opens with (nil: the built-in defaults).
    public var initialPreset: String?

    public init(host: String, port: Int, catalogue: PresetCatalogue, limits: ExplorerLimits, initialPreset: String?) {
        self.host = host; self.port = port; self.catalogue = catalogue; self.limits = limits; self.initialPreset = initialPreset
    }

    /// The page's files, read once.
    struct Page: Sendable {
        var files: [String: (type: String, body: String)] = [:]

        init() throws(ExplorerError) {
            guard let folder = Bundle.module.url(forResource: "Page", withExtension: nil) else {
                throw ExplorerError(.notFound, "the explorer's page files are missing from the tool's resources (Page folder)")
            }
            for (name, type) in [
                ("index.html", "text/html; charset=utf-8"), ("explorer.js", "text/javascript; charset=utf-8"),
                ("explorer.css", "text/css; charset=utf-8"),
            ] {
                guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else {
                    throw ExplorerError(.notFound, "the explorer's page file \(name) is missing from \(folder.path)")
                }
                files[name] = (type, text)
            }
        }
    }

    /// Serves until SIGINT or SIGTERM, then stops its runs and returns. `onRunning` gets the
    /// address once the server listens (the port chosen when `port` is 0).
    public func run(onRunning: @escaping @Sendable (String) -> Void) async throws {
        let page = try Page()
        let store = RunStore(capacity: limits.keptRuns)
        let gate = RunGate(limit: limits.maxRuns)
        let router = Router(context: BasicWebSocketRequestContext.self)
        let limits = self.limits, catalogue = self.catalogue, initialPreset = self.initialPreset
        let guardian = RequestGuard(host: host, port: port)
        router.add(middleware: RequestGuardMiddleware(guardian: guardian))

        for (path, name) in [
            ("/", "index.html"), ("/index.html", "index.html"), ("/explorer.js", "explorer.js"), ("/explorer.css", "explorer.css"),
        ] {
            router.get(RouterPath(path)) { _, _ in
                let file = page.files[name]!
                return Self.response(200, type: file.type, file.body, extra: [.cacheControl: "no-store"])
            }
        }
        router.get("/api/schema") { _, _ in
            var schema = ExplorerSchema.json(catalogue: catalogue, limits: limits)
            schema["initial_preset"] = initialPreset ?? NSNull()
            return Self.json(200, schema)
        }
        router.post("/api/check") { request, _ in
            do throws(ExplorerError) {
                let body = try await Self.body(request, limit: limits.maxBody)
                let loaded = try RunRequest(json: RunRequest.object(from: body)).resolve(catalogue, limits: limits)
                return Self.json(
                    200,
                    [
                        "values": ExplorerSchema.values(of: loaded.scenario), "yaml": loaded.resolvedYAML,
                        "sha256": loaded.sha256,
                    ])
            } catch { return Self.json(error.status, ["error": error.message]) }
        }
        router.get("/api/runs/{id}/{file}") { request, context in
            let id = context.parameters.get("id") ?? "", file = context.parameters.get("file") ?? ""
            let token = request.uri.queryParameters.get("token") ?? ""
            guard let run = store.run(id, token: token) else {
                return Self.json(
                    404,
                    ["error": "no finished run '\(id)' with this token on this server (it keeps the last \(limits.keptRuns); the page that ran it has the link)"])
            }
            let name = run.scenario.scenario.name
            switch file {
            case "scenario.yaml":
                return Self.response(
                    200, type: "application/yaml; charset=utf-8", run.scenarioYAML,
                    extra: [.contentDisposition: "attachment; filename=\"\(name).yaml\""])
            case "series.csv":
                return Self.response(
                    200, type: "text/csv; charset=utf-8", run.seriesCSV,
                    extra: [.contentDisposition: "attachment; filename=\"\(name)-series.csv\""])
            default:
                return Self.json(404, ["error": "a finished run has scenario.yaml and series.csv, not '\(file)'"])
            }
        }
        router.ws(
            "/ws",
            shouldUpgrade: { request, _ in
                guardian.refusal(host: request.head.authority, origin: request.headers[.origin]) == nil ? .upgrade([:]) : .dontUpgrade
            }
        ) { inbound, outbound, _ in
            let (stream, continuation) = AsyncStream<String>.makeStream()
            let session = ExplorerSession(
                catalogue: catalogue, limits: limits, gate: gate, store: store,
                send: { continuation.yield($0) })
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    // A failed write means the page has gone: the reading loop below ends too.
                    for await text in stream {
                        do { try await outbound.write(.text(text)) } catch { break }
                    }
                }
                do {
                    for try await message in inbound.messages(maxSize: limits.maxBody) {
                        switch message {
                        case .text(let text): session.receive(text)
                        case .binary:
                            continuation.yield(ExplorerMessages.error(ExplorerError(.malformed, "messages are JSON text, not binary")))
                        }
                    }
                } catch {
                    // A message over the limit (in one frame or in fragments) ends the socket; the
                    // page is told why, as for an oversize request body. The library's error type
                    // is internal, so its case is recognised by name.
                    if String(describing: error).contains("messageTooLarge") {
                        continuation.yield(
                            ExplorerMessages.error(
                                ExplorerError(.tooLarge, "message above this server's limit of \(limits.maxBody) bytes; the connection closes")))
                    }
                }
                // The page went away (or sent more than the limit): its run stops. What is queued
                // for it is sent for at most a second.
                session.close()
                continuation.finish()
                group.addTask { try? await Task.sleep(for: .seconds(1)) }
                _ = await group.next()
                group.cancelAll()
            }
        }

        var logger = Logger(label: "parecon-sim explorer")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: router,
                configuration: .init(
                    // A connection that sends nothing for a minute is closed, so half-sent
                    // requests cannot hold the server; a page that does not answer a close
                    // (on Ctrl-C) is dropped after two seconds.
                    http1: .init(idleTimeout: .seconds(60)),
                    ws: .init(maxFrameSize: limits.maxBody, closeTimeout: .seconds(2)))),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                guardian.port.withLock { $0 = port }
                let shown = host.contains(":") ? "[\(host)]" : host
                onRunning("http://\(shown):\(port)/")
            },
            logger: logger)
        try await app.runService()
    }

    static func body(_ request: Request, limit: Int) async throws(ExplorerError) -> Data {
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch {
            throw ExplorerError(.tooLarge, "request body above this server's limit of \(limit) bytes")
        }
    }

    static func response(_ status: Int, type: String, _ text: String, extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: type]
        headers.append(contentsOf: extra)
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ status: Int, _ object: [String: Any]) -> Response {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return response(status, type: "application/json", String(decoding: data, as: UTF8.self))
    }
}
