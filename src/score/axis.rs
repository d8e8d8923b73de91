//! The five axes, in their fixed order.

use serde::Serialize;

/// One of the five scoring axes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    /// Ease of implementation.
    Ease,
    /// SCIM features supported.
    Features,
    /// Pricing model.
    Pricing,
    /// Integration capabilities.
    Integration,
    /// Prerequisites.
    Prerequisites,
}

impl Axis {
    /// All axes in order; array indices elsewhere follow this order.
    pub const ALL: [Axis; 5] = [
        Axis::Ease,
        Axis::Features,
        Axis::Pricing,
        Axis::Integration,
        Axis::Prerequisites,
    ];

    /// The key used in scenario `[weights]` and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Axis::Ease => "ease",
            Axis::Features => "features",
            Axis::Pricing => "pricing",
            Axis::Integration => "integration",
            Axis::Prerequisites => "prerequisites",
        }
    }

    /// A human label.
    pub fn label(self) -> &'static str {
        match self {
            Axis::Ease => "Ease of implementation",
            Axis::Features => "SCIM features",
            Axis::Pricing => "Pricing model",
            Axis::Integration => "Integration",
            Axis::Prerequisites => "Prerequisites",
        }
    }

    /// The array index.
    pub fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys, labels and array positions, as the scenario files, the reports and the weight
    /// arrays use them.
    #[test]
    fn each_axis_has_its_key_label_and_index() {
        let expected = [
            (Axis::Ease, "ease", "Ease of implementation", 0),
            (Axis::Features, "features", "SCIM features", 1),
            (Axis::Pricing, "pricing", "Pricing model", 2),
            (Axis::Integration, "integration", "Integration", 3),
            (Axis::Prerequisites, "prerequisites", "Prerequisites", 4),
        ];
        for (axis, key, label, index) in expected {
            assert_eq!(
                (axis.key(), axis.label(), axis.index()),
                (key, label, index)
            );
            assert_eq!(Axis::ALL[index], axis);
        }
    }
}
