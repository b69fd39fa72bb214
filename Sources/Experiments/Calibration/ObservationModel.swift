import Foundation
import TransitionModel

/// How one model output maps to one observed series: which column, how the model's economy
/// scales to the national one, registered versus active counts, and measurement error.
///
/// observed ≈ model value × scale ÷ active share, with a normal measurement error of standard
/// deviation `relativeError` · |observed| + `absoluteError`.
public struct ObservationModel: Sendable, Equatable {
    /// What the model value is and how it becomes a national figure.
    public enum Scale: Sendable, Equatable {
        /// The value is a count in the model's economy of `persons` persons, standing for a
        /// national economy of `national` persons: × national / persons.
        case perPersons(national: Double)
        /// The value is a share; × `national` (1 compares shares with shares).
        case share(national: Double)
    }
    /// Whether an observed value is a measurement or a bound the model must not cross.
    public enum Bound: String, Sendable, Equatable, CaseIterable {
        case none, upper, lower
    }

    /// The series column of the model (see `MetricsRecord.columns`).
    public var column: String
    public var scale: Scale
    /// Active share of registered units: registered counts are model counts ÷ this (1 when the
    /// data count active units).
    public var activeShare: Double
    public var relativeError: Double
    public var absoluteError: Double
    public var bound: Bound

    /// The value the data would show for a model value, in an economy of `persons`.
    public func observed(model value: Double, persons: Int) -> Double {
        switch scale {
        case .perPersons(let national): return value * national / Double(persons) / activeShare
        case .share(let national): return value * national / activeShare
        }
    }

    /// The standard deviation of the measurement error around `observed`.
    public func sigma(_ observed: Double) -> Double { relativeError * abs(observed) + absoluteError }

    /// The standardised residual of a prediction: for a bound, zero on the allowed side.
    public func residual(predicted: Double, observed: Double) -> Double {
        let r = (predicted - observed) / sigma(observed)
        switch bound {
        case .none: return r
        case .upper: return max(0, r)
        case .lower: return min(0, r)
        }
    }
}

/// One observed figure, placed on the model's clock.
public struct ObservedPoint: Sendable, Equatable {
    public var series: String
    public var date: String
    public var month: Int
    public var value: Double
    /// Held out of the fit (after `fit_until`): used only to check predictions.
    public var heldOut: Bool
    public var source: String
}

/// A named observed series with its observation model.
public struct ObservedSeries: Sendable, Equatable {
    public var name: String
    public var dataFile: String
    public var model: ObservationModel
    public var points: [ObservedPoint]
    /// Rows of the data file dated before the model's start (kept for the record, not fitted).
    public var rowsBeforeStart: Int
}

/// A calendar month written YYYY-MM, as months since year 0.
struct CalendarMonth: Sendable, Equatable, Comparable {
    var index: Int
    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m), y >= 1000
        else { return nil }
        index = y * 12 + m - 1
    }
    static func < (a: CalendarMonth, b: CalendarMonth) -> Bool { a.index < b.index }
}
