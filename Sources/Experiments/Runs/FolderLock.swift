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
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else {
            if errno == ELOOP {
                throw .cannotWrite(path, "it is a symbolic link; a folder's lock file must be a plain file (remove the link)")
            }
            if errno == EISDIR {
                throw .cannotWrite(path, "it is a folder; a folder's lock file must be a plain file (remove that folder)")
            }
            throw .cannotWrite(path, String(cString: strerror(errno)))
        }
        guard flock(fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let why = String(cString: strerror(errno))
            close(fd)
            guard busy else { throw .cannotWrite(path, why) }
            // The holders' own words ("HOLDER PID" lines): a holder writes them just after
            // taking the lock, so give it a moment (an older build never writes them).
            var lines: [(holder: String, pid: Int32?)] = []
            for _ in 0..<50 {
                lines = Self.notes(path)
                if !lines.isEmpty { break }
                usleep(2_000)
            }
            // Shared holders add a line each: name those still alive on this host (all of them
            // when none is, as on another host), else the last holder named.
            let alive = lines.filter { line in line.pid.map { kill($0, 0) == 0 || errno == EPERM } ?? false }
            let named = alive.isEmpty ? Array(lines.suffix(1)) : alive
            let who = named.first?.holder ?? "command"
            var pids: [String] = []
            for pid in named.compactMap(\.pid).map(String.init) where !pids.contains(pid) { pids.append(pid) }
            let process = pids.isEmpty ? "" : pids.count == 1 ? " (process \(pids[0]))" : " (processes \(pids.joined(separator: ", ")))"
            throw .malformed(
                folder, "another \(who) is writing into this folder right now\(process); wait for \(pids.count > 1 ? "them" : "it") to end, or choose another folder")
        }
        // An exclusive holder's note replaces the last holders'. A shared one adds its line to
        // those of its kind (any other holder has ended: it could not hold the folder beside us).
        var note = "\(holder) \(getpid())\n"
        if shared {
            note = Self.notes(path).filter { $0.holder == holder }.map { "\($0.holder) \($0.pid.map(String.init) ?? "")\n" }.joined() + note
        }
        if ftruncate(fd, 0) == 0 { _ = note.withCString { write(fd, $0, strlen($0)) } }
        descriptor = fd
    }

    /// Creates `folder` if need be (whatever it holds) and claims it for `holder`.
    public static func claim(_ folder: String, holder: String, shared: Bool = false) throws(ResultFolderError) -> FolderLock {
        let made = try ResultFolder.create(folder)
        do { return try FolderLock(folder: folder, holder: holder, shared: shared) } catch {
            // Refused or unwritable: leave no folder this call made (nor its lock file).
            if !made.isEmpty { unlink(folder + "/" + fileName) }
            ResultFolder.remove(made)
            throw error
        }
    }

    /// The lock file's lines as (holder, process): "run 123", "calibration task 456".
    static func notes(_ path: String) -> [(holder: String, pid: Int32?)] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard let first = words.first else { return nil }
            guard words.count > 1, let pid = Int32(words.last!) else { return (String(first), nil) }
            return (words.dropLast().joined(separator: " "), pid)
        }
    }

    deinit { close(descriptor) }
}
