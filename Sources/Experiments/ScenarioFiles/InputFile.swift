import Foundation

/// Reading a user's input file (scenario, sweep, design or table) with its size checked
/// *before* it is read: a huge or sparse file is refused without being loaded into memory.
enum InputFile {
    /// Why a file could not be read.
    enum Problem: Error, CustomStringConvertible {
        case unreadable
        case notAFile
        case tooLarge(bytes: UInt64, limit: Int)
        case notUTF8
        /// A symbolic link to nothing, or a loop of links.
        case brokenLink

        var description: String {
            switch self {
            case .unreadable: return "cannot be read"
            case .notAFile: return "is not a regular file"
            case let .tooLarge(bytes, limit): return "is \(bytes) bytes; such files are limited to \(limit) bytes"
            case .notUTF8: return "is not UTF-8 text"
            case .brokenLink: return "is a symbolic link that leads nowhere (a broken link or a loop of links)"
            }
        }
    }

    /// The text of `path`, refused if it is not a regular file of at most `limit` bytes.
    static func text(_ path: String, limit: Int) throws(Problem) -> String {
        // A symbolic link is followed: its target must be a regular file (attributesOfItem
        // describes the link itself).
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: target) else {
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil { throw .brokenLink }
            throw .unreadable
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else { throw .notAFile }
        let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        guard size <= UInt64(limit) else { throw .tooLarge(bytes: size, limit: limit) }
        guard let handle = FileHandle(forReadingAtPath: target) else { throw .unreadable }
        defer { try? handle.close() }
        // Read at most one byte more than allowed, in case the file grew since it was measured.
        guard let data = try? handle.read(upToCount: limit + 1) ?? Data() else { throw .unreadable }
        guard data.count <= limit else { throw .tooLarge(bytes: UInt64(data.count), limit: limit) }
        guard let text = String(data: data, encoding: .utf8) else { throw .notUTF8 }
        return text
    }
}
