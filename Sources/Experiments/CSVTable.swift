/// A CSV file read the way parecon-sim writes them (RFC 4180): cells separated by commas,
/// a cell in double quotes may hold commas, line breaks and doubled quotes (`""`).
/// The first record is the header; blank lines and lines starting with `#` are skipped.
public struct CSVTable: Sendable, Equatable {
    public var header: [String]
    /// Data records with the 1-based line each starts on, for messages.
    public var rows: [(line: Int, cells: [String])]

    public static func == (a: CSVTable, b: CSVTable) -> Bool {
        a.header == b.header && a.rows.count == b.rows.count
            && zip(a.rows, b.rows).allSatisfy { $0.line == $1.line && $0.cells == $1.cells }
    }

    /// What is wrong with a CSV text, with the line it was found on.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses `text`; unquoted cells are trimmed of surrounding spaces.
    public init(parsing text: String) throws(Problem) {
        var records: [(line: Int, cells: [String])] = []
        var cells: [String] = [], cell = "", quoted = false, wasQuoted = false
        var line = 1, recordLine = 1, atRecordStart = true, skipping = false
        func endCell() {
            cells.append(wasQuoted ? cell : cell.trimmingCharacters(in: .whitespaces))
            cell = ""; wasQuoted = false
        }
        // A byte-order mark (spreadsheets write one) is not part of the first column's name.
        var iterator = (text.first == "\u{FEFF}" ? text.dropFirst() : Substring(text)).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if skipping {
                if c.isNewline { skipping = false; line += 1; atRecordStart = true }
                continue
            }
            if atRecordStart {
                recordLine = line
                if c == "#" { skipping = true; continue }
                if c.isNewline { line += 1; continue }
                atRecordStart = false
            }
            if quoted {
                if c == "\"" {
                    let next = iterator.next()
                    if next == "\"" { cell.append("\"") } else { quoted = false; pending = next }
                } else {
                    if c.isNewline { line += 1 }
                    cell.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard cell.allSatisfy({ $0 == " " }) else {
                    throw Problem(line: line, message: "a quote inside an unquoted cell (quote the whole cell and double inner quotes)")
                }
                cell = ""; quoted = true; wasQuoted = true
            case ",":
                endCell()
            case _ where c.isNewline:
                endCell(); records.append((recordLine, cells)); cells = []
                line += 1; atRecordStart = true
            default:
                if wasQuoted && c != " " {
                    throw Problem(line: line, message: "text after a closing quote (a quoted cell must end at a comma or line end)")
                }
                if !wasQuoted { cell.append(c) }
            }
        }
        if quoted { throw Problem(line: recordLine, message: "a quoted cell is never closed") }
        if !atRecordStart { endCell(); records.append((recordLine, cells)) }
        guard let first = records.first else { throw Problem(line: 1, message: "the file is empty") }
        header = first.cells
        rows = Array(records.dropFirst())
        if let width = rows.first(where: { $0.cells.count != header.count }) {
            throw Problem(line: width.line, message: "expected \(header.count) cells (as in the header), found \(width.cells.count)")
        }
    }

    /// The index of a header column.
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }
}
