import Foundation
import Hummingbird
import Synchronization

/// Which requests the explorer answers, against a page on another web site open in the same
/// browser.
///
/// - **Host**: only a request addressed to this server by a loopback name (127.0.0.1,
///   localhost, [::1]) or the `--host` it listens on, with its port. DNS rebinding points a
///   foreign name at 127.0.0.1; the browser then sends that name as Host, and it is refused (421).
/// - **Origin**: when the browser says which page sent a request, it must be a page of this
///   server (an allowed Host above), else 403. Requests without an Origin (curl, scripts, the
///   page's own GET requests) pass.
/// - Every answer carries headers that forbid framing the page and sniffing its content types.
final class RequestGuard: Sendable {
    /// Host names the server answers to, lowercased, IPv6 in brackets.
    let names: Set<String>
    /// The port, known once the server listens (the one chosen when asked for port 0).
    let port: Mutex<Int>

    init(host: String, port: Int) {
        let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        names = Set(["127.0.0.1", "localhost", "[::1]", shown.lowercased()])
        self.port = Mutex(port)
    }

    /// The authorities (host:port) a request may name.
    var authorities: Set<String> {
        let p = port.withLock { $0 }
        return Set(names.map { "\($0):\(p)" })
    }

    /// Why a request with this Host and Origin is refused (status, message), or nil.
    func refusal(host: String?, origin: String?) -> (Int, String)? {
        let allowed = authorities
        guard let host, allowed.contains(host.lowercased()) else {
            return (421, "this server answers only requests addressed to " + allowed.sorted().joined(separator: ", "))
        }
        if let origin {
            let o = origin.lowercased()
            guard allowed.contains(where: { o == "http://\($0)" }) else {
                return (403, "requests from pages of other sites are refused (Origin \(origin.prefix(100)))")
            }
        }
        return nil
    }

    /// Headers on every answer.
    static let headers: HTTPFields = [
        .xContentTypeOptions: "nosniff",
        HTTPFields.Element.Name("X-Frame-Options")!: "DENY",
        .contentSecurityPolicy: "frame-ancestors 'none'",
        HTTPFields.Element.Name("Referrer-Policy")!: "no-referrer",
    ]
}

/// ``RequestGuard`` on every route.
struct RequestGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let guardian: RequestGuard

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if let (status, message) = guardian.refusal(host: request.head.authority, origin: request.headers[.origin]) {
            response = ExplorerServer.json(status, ["error": message])
        } else {
            response = try await next(request, context)
        }
        response.headers.append(contentsOf: RequestGuard.headers)
        return response
    }
}
