import Foundation
import PackagePlugin

/// Records the git commit the tool is built from (`sourceCommit`, with "-dirty" when tracked
/// files had changes, "unknown" outside a checkout), so that result files can name the exact
/// code that wrote them. Runs before every build; rewrites its output only when it changed.
@main
struct SourceCommit: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("generated")
        let script = #"""
            set -u
            dir=$1; out=$2
            mkdir -p "$out"
            commit=$(git -C "$dir" rev-parse HEAD 2>/dev/null) || commit=unknown
            if [ "$commit" != unknown ] && [ -n "$(git -C "$dir" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
              commit="$commit-dirty"
            fi
            printf '// Generated before each build by the SourceCommit plugin (Plugins/SourceCommit).\nlet sourceCommit = "%s"\n' "$commit" > "$out/SourceCommit.swift.new"
            if cmp -s "$out/SourceCommit.swift.new" "$out/SourceCommit.swift"; then rm "$out/SourceCommit.swift.new"
            else mv "$out/SourceCommit.swift.new" "$out/SourceCommit.swift"; fi
            """#
        return [
            .prebuildCommand(
                displayName: "Recording the source commit",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", script, "source-commit", context.package.directoryURL.path, output.path],
                outputFilesDirectory: output)
        ]
    }
}
