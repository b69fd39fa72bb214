import Foundation
import Testing

@testable import Experiments

@Suite("Result folders")
struct ResultFolderTests {
    private func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aDanglingLinkIsNamedAsOneNotAsAnExistingFile() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = dir.appendingPathComponent("out").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/nonexistent/place")
        #expect(throws: ResultFolderError.cannotCreate(link, "it is a symbolic link to /nonexistent/place, which does not exist")) {
            try ResultFolder.prepare(link, force: false)
        }
    }

    @Test func aLoopingLinkIsNamedAsALoop() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a").path, b = dir.appendingPathComponent("b").path
        try FileManager.default.createSymbolicLink(atPath: a, withDestinationPath: b)
        try FileManager.default.createSymbolicLink(atPath: b, withDestinationPath: a)
        #expect(throws: ResultFolderError.cannotCreate(a, "it is a symbolic link that loops (it never reaches a file or folder)")) {
            try ResultFolder.prepare(a, force: false)
        }
    }

    @Test func aLinkToAFolderIsUsedAsTheFolder() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("real"), link = dir.appendingPathComponent("out").path
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target.path)
        try ResultFolder.prepare(link, force: false)
        try ResultFolder.write("x", to: link, name: "a.txt")
        #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent("a.txt").path))
    }

    @Test func earlierResultsAreKeptWithoutForce() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try ResultFolder.write("x", to: dir.path, name: "runs.csv")
        #expect(throws: ResultFolderError.exists(dir.path)) { try ResultFolder.prepare(dir.path, force: false) }
        try ResultFolder.prepare(dir.path, force: true)
    }
    /// A name longer than the system allows is refused by name, before any parent is made.
    @Test func tooLongANameIsRefusedBeforeAnyFolderIsMade() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let long = String(repeating: "n", count: 300)
        let path = dir.path + "/parent/" + long + "/leaf"
        #expect(throws: ResultFolderError.cannotCreate(path, "the name '\(long.prefix(24))…' is 300 bytes long; a file or folder name can have at most 255")) {
            try ResultFolder.create(path)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/parent"), "no parent folder left behind")
        let deep = dir.path + String(repeating: "/" + String(repeating: "d", count: 200), count: 21)
        #expect(throws: ResultFolderError.self) { try ResultFolder.create(deep) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        // A folder that exists already (made by hand) but leaves no room for the files inside is
        // refused up front too; a subfolder of an accepted output folder needs no room of its own.
        let limit = Int(PATH_MAX) - 1 - ResultFolder.roomForFiles  // the longest output folder's path
        var accepted = dir.path
        while accepted.utf8.count + 201 < limit { accepted += "/" + String(repeating: "e", count: 200) }
        let existing = accepted + "/" + String(repeating: "f", count: limit + 9 - accepted.utf8.count)
        #expect(existing.utf8.count == limit + 10)
        try FileManager.default.createDirectory(atPath: existing, withIntermediateDirectories: true)
        #expect(throws: ResultFolderError.self) { try ResultFolder.create(existing) }
        #expect(throws: ResultFolderError.self) { try ResultFolder.prepare(existing, force: true) }
        #expect(try ResultFolder.create(accepted).isEmpty)
        let sub = accepted + "/" + String(repeating: "p", count: limit + 4 - accepted.utf8.count)
        #expect(throws: ResultFolderError.self) { try ResultFolder.create(sub) }
        #expect(try ResultFolder.create(sub, room: 0) == [sub])
    }

    /// An input file is read whole up to its limit, and refused past it, as a folder, when it
    /// is not UTF-8, or with the system's reason when it cannot be opened.
    @Test func inputFilesAreReadUpToTheirLimitAndRefusedWithAReason() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.path + "/big.txt"
        let text = String(repeating: "abcdefgh", count: 20_000)  // 160,000 bytes: several reads
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try InputFile.text(path, limit: 160_000) == text)
        #expect(throws: InputFile.Problem.self) { try InputFile.text(path, limit: 159_999) }
        do { _ = try InputFile.text(dir.path + "/none.txt", limit: 10); Issue.record("a missing file must be refused") } catch {
            #expect(error.description == "cannot be read (No such file or directory)")
        }
        do { _ = try InputFile.text(dir.path, limit: 10); Issue.record("a folder must be refused") } catch {
            #expect(error.description == "is not a regular file")
        }
        #expect(FileManager.default.createFile(atPath: dir.path + "/latin1.txt", contents: Data([0x63, 0x61, 0x66, 0xE9])))
        do { _ = try InputFile.text(dir.path + "/latin1.txt", limit: 10); Issue.record("Latin-1 must be refused") } catch {
            #expect(error.description == "is not UTF-8 text")
        }
    }

    /// A folder the file system will not make gives the system's reason and where.
    @Test func aFileSystemThatTakesNoFoldersIsNamed() throws {
        guard FileManager.default.fileExists(atPath: "/proc/self") else { return }
        #expect(throws: ResultFolderError.cannotCreate("/proc/parecon-x", "No such file or directory (/proc does not take new folders)")) {
            try ResultFolder.create("/proc/parecon-x")
        }
    }

    /// Missing parents are made, each from the top; the folder ends up existing.
    @Test func missingParentsAreMade() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try ResultFolder.create(dir.path + "/a/b/c")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: dir.path + "/a/b/c", isDirectory: &isDirectory) && isDirectory.boolValue)
        try ResultFolder.create(dir.path + "/a/b/c")  // existing: no error
        #expect(try ResultFolder.listing(dir.path + "/a") == ["b"])
    }
    /// `..` is read as the system reads it: after a symbolic link it goes up from the link's
    /// target, and results written through such a path land where the folder was made.
    @Test func dotDotIsReadAsTheSystemReadsIt() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(atPath: dir.path + "/deep/inner", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/link", withDestinationPath: dir.path + "/deep/inner")
        let made = try ResultFolder.create(dir.path + "/link/../via")
        #expect(made == [dir.path + "/link/../via"])
        try ResultFolder.write("x", to: dir.path + "/link/../via", name: "runs.csv")
        #expect(FileManager.default.fileExists(atPath: dir.path + "/deep/via/runs.csv"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/via"))
        // Read back the same way (a calibration's driver reads its tasks' files so).
        #expect(try InputFile.text(dir.path + "/link/../via/runs.csv", limit: 10) == "x")
        // Without links, each missing folder of x/../y is made, as mkdir -p makes them.
        #expect(try ResultFolder.create(dir.path + "/x/../y") == [dir.path + "/x", dir.path + "/x/../y"])
        #expect(FileManager.default.fileExists(atPath: dir.path + "/y"))
    }

    /// Shared claims add a line each to the lock file; a refused claim names the holders still
    /// alive (once each), not a finished one.
    @Test func aRefusalNamesTheLiveHoldersOnly() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lock = dir.path + "/" + FolderLock.fileName
        do { withExtendedLifetime(try FolderLock(folder: dir.path, holder: "calibration")) {} }  // a driver that has ended
        do {
            let a = try FolderLock(folder: dir.path, holder: "calibration task", shared: true)
            #expect(FolderLock.notes(lock).map(\.holder) == ["calibration task"], "the ended driver's line is dropped")
            // A finished task's line: a process that has ended.
            let ended = Process()
            ended.executableURL = URL(fileURLWithPath: "/bin/true")
            try ended.run()
            ended.waitUntilExit()
            let handle = try #require(FileHandle(forWritingAtPath: lock))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("calibration task \(ended.processIdentifier)\n".utf8))
            try handle.close()
            let b = try FolderLock(folder: dir.path, holder: "calibration task", shared: true)
            #expect(throws: ResultFolderError.malformed(
                dir.path, "another calibration task is writing into this folder right now (process \(getpid())); wait for it to end, or choose another folder")) {
                try FolderLock(folder: dir.path, holder: "run")
            }
            #expect(FolderLock.notes(lock).count == 3)
            withExtendedLifetime((a, b)) {}
        }
        // An exclusive claim's note replaces the others.
        let c = try FolderLock(folder: dir.path, holder: "run")
        #expect(FolderLock.notes(lock).map(\.holder) == ["run"])
        withExtendedLifetime(c) {}
    }
    /// Parents on the text, `..` left alone (Foundation's own traps on a one-component name).
    @Test func parentsAreTakenOnTheText() {
        let cases: [(String, String)] = [
            ("a", ""), ("a/b", "a"), ("a/b/", "a"), ("a//b", "a"), ("/a", "/"), ("/", "/"), ("x/..", "x"), ("/t/x/../y", "/t/x/.."), ("", ""),
        ]
        for (path, parent) in cases { #expect(ResultFolder.parent(of: path) == parent, "\(path)") }
    }
}
