import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive claim on a result folder for as long as the value lives: two processes writing
/// one folder's state at once would each overwrite the other's. The claim is an advisory `flock`
/// on a hidden file in the folder, so the system releases it when the process ends however it
/// ends (no stale locks after a kill); the empty file stays behind and means nothing by itself.
public final class FolderLock: Sendable {
    /// The hidden file that carries the claim; result folders ignore it when they are checked
    /// for earlier results.
    public static let fileName = ".parecon-sim.lock"

    private let descriptor: Int32

    /// Claims `folder` (which must exist), or says who holds it.
    public init(folder: String, holder: String) throws(ResultFolderError) {
        let path = folder + "/" + Self.fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotWrite(path, String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let why = String(cString: strerror(errno))
            close(fd)
            throw busy
                ? .malformed(folder, "another \(holder) is writing into this folder right now; wait for it to end, or choose another folder")
                : .cannotWrite(path, why)
        }
        descriptor = fd
    }

    deinit { close(descriptor) }
}
