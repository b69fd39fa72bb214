import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A claim on a result folder for as long as the value lives: two processes writing one
/// folder's state at once would each overwrite the other's. The claim is an advisory `flock`
/// on a hidden file in the folder, so the system releases it when the process ends however it
/// ends (no stale locks after a kill); the file stays behind, naming its last holder, and means
/// nothing by itself.
///
/// Claims are exclusive, except those of a calibration's candidate tasks: the tasks of one
/// cluster job write their own files side by side and share the folder with each other, but
/// not with a run or a calibration's driver.
public final class FolderLock: Sendable {
    /// The hidden file that carries the claim; result folders ignore it when they are checked
    /// for earlier results.
    public static let fileName = ".parecon-sim.lock"

    private let descriptor: Int32

    /// Claims `folder` (which must exist), or says who holds it. `holder` names the command
    /// claiming it ("run", "calibration"); it is written into the lock file with the process
    /// number, so that a command refused later can say what it waits for. A `shared` claim
    /// coexists with other shared claims and with no exclusive one.
    public init(folder: String, holder: String, shared: Bool = false) throws(ResultFolderError) {
        let path = folder + "/" + Self.fileName
        // Never through a symbolic link: the note below would be written into its target.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else {
            if errno == ELOOP {
                throw .cannotWrite(path, "it is a symbolic link; a folder's lock file must be a plain file (remove the link)")
            }
            throw .cannotWrite(path, String(cString: strerror(errno)))
        }
        guard flock(fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let why = String(cString: strerror(errno))
            close(fd)
            guard busy else { throw .cannotWrite(path, why) }
            // The holder's own words: it writes them just after taking the lock, so give it a
            // moment (an older build never writes them).
            var words: [Substring] = []
            for _ in 0..<50 {
                words = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: " ")
                if !words.isEmpty { break }
                usleep(2_000)
            }
            // "HOLDER PID": the holder may be several words.
            let pid = words.count > 1 ? words.last!.trimmingCharacters(in: .whitespacesAndNewlines) : ""
            let who = words.count > 1 ? words.dropLast().joined(separator: " ") : words.first.map(String.init) ?? "command"
            let process = pid.isEmpty ? "" : " (process \(pid))"
            throw .malformed(
                folder, "another \(who) is writing into this folder right now\(process); wait for it to end, or choose another folder")
        }
        let note = "\(holder) \(getpid())\n"
        if ftruncate(fd, 0) == 0 { _ = note.withCString { write(fd, $0, strlen($0)) } }
        descriptor = fd
    }

    /// Creates `folder` if need be (whatever it holds) and claims it for `holder`.
    public static func claim(_ folder: String, holder: String, shared: Bool = false) throws(ResultFolderError) -> FolderLock {
        try ResultFolder.create(folder)
        return try FolderLock(folder: folder, holder: holder, shared: shared)
    }

    deinit { close(descriptor) }
}
