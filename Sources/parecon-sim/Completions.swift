import ArgumentParser
import Experiments

/// Shell completions (`parecon-sim --generate-completion-script bash|zsh|fish`): scenario,
/// sweep and calibration files by extension, and `--set` keys from the parameter schema.
extension CompletionKind {
    static var yamlFiles: CompletionKind { .file(extensions: ["yaml", "yml"]) }

    /// Every key path followed by "=", those starting with what is typed.
    static var parameterKeys: CompletionKind {
        .custom { _, _, prefix in
            ScenarioSchema.parameters.map { $0.path + "=" }.filter { $0.hasPrefix(prefix) }
        }
    }
}
