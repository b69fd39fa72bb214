/// A self-contained HTML page made from a report's Markdown (headings, paragraphs, tables) with
/// its SVG charts inline: one file that opens anywhere, for run, sweep and calibration reports.
public enum HTMLPage {
    public static func render(title: String, markdown: String, charts: [String]) -> String {
        var body = ""
        var inTable = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("|") {
                if line.hasPrefix("|---") { continue }
                let cells = line.split(separator: "|").map { inline($0.trimmingCharacters(in: .whitespaces)) }
                if !inTable { body += "<table>\n<tr>" + cells.map { "<th>\($0)</th>" }.joined() + "</tr>\n"; inTable = true; continue }
                body += "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
                continue
            }
            if inTable { body += "</table>\n"; inTable = false }
            if let level = (1...4).first(where: { line.hasPrefix(String(repeating: "#", count: $0) + " ") }) {
                body += "<h\(level)>\(inline(String(line.dropFirst(level + 1))))</h\(level)>\n"
            } else if line.hasPrefix("![") {
                continue
            } else if !line.isEmpty {
                body += "<p>\(inline(line))</p>\n"
            }
        }
        if inTable { body += "</table>\n" }
        for svg in charts { body += "<figure>\n\(svg)</figure>\n" }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(SVGChart.escape(title))</title>
            <style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}table{border-collapse:collapse;margin:1em 0;display:block;overflow-x:auto}
            td,th{border:1px solid #bbb;padding:.3em .6em;text-align:left}figure{margin:1.5em 0;page-break-inside:avoid}figure svg{max-width:100%;height:auto}code{font-size:.95em;background:#f3f3f3;padding:0 .2em}</style>
            </head><body>
            \(body)</body></html>

            """
    }

    /// Escaped text with `code` spans as <code> (an unpaired last backtick stays as it is).
    static func inline(_ text: String) -> String {
        let parts = SVGChart.escape(text).split(separator: "`", omittingEmptySubsequences: false)
        let paired = parts.count % 2 == 1 ? parts.count : parts.count - 1
        var out = ""
        for n in 0..<paired { out += n % 2 == 1 ? "<code>\(parts[n])</code>" : String(parts[n]) }
        if paired < parts.count { out += "`" + parts[paired] }
        return out
    }
}
