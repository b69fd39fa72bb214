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
}
