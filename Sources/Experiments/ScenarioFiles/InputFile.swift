import Foundation

/// Reading a user's input file (scenario, sweep, design or table) with its size checked
/// *before* it is read: a huge or sparse file is refused without being loaded into memory.
enum InputFile {
    /// Why a file could not be read.
    enum Problem: Error, CustomStringConvertible {
        /// The system refused to open or read it; `reason` is its word for why.
        case unreadable(reason: String)
        case notAFile
        case tooLarge(bytes: UInt64, limit: Int)
        case notUTF8
        /// A symbolic link to nothing, or a loop of links.
        case brokenLink

        var description: String {
            switch self {
            case let .unreadable(reason): return "cannot be read (\(reason))"
            case .notAFile: return "is not a regular file"
            case let .tooLarge(bytes, limit): return "is \(bytes) bytes; such files are limited to \(limit) bytes"
            case .notUTF8: return "is not UTF-8 text"
            case .brokenLink: return "is a symbolic link that leads nowhere (a broken link or a loop of links)"
            }
        }
    }

    /// The text of `path`, refused if it is not a regular file of at most `limit` bytes.
    ///
    /// The path is read as the system reads it (open(2)): `..` after a symbolic link goes up
    /// from the link's target, as it does for the folders the tool writes. A symbolic link is
    /// followed; its target must be a regular file.
    static func text(_ path: String, limit: Int) throws(Problem) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            var link = stat()
            if code == ELOOP || (code == ENOENT && lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK) {
                throw .brokenLink
            }
            throw .unreadable(reason: String(cString: strerror(code)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notAFile }
        let size = UInt64(max(0, info.st_size))
        guard size <= UInt64(limit) else { throw .tooLarge(bytes: size, limit: limit) }
        // Read until the end, or until more than allowed (the file may have grown since it was measured).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(size) + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count <= limit {
            let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .unreadable(reason: String(cString: strerror(errno)))
            }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[..<got])
        }
        guard bytes.count <= limit else { throw .tooLarge(bytes: UInt64(bytes.count), limit: limit) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .notUTF8 }
        return text
    }
}
