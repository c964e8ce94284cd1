//! Quantities as integer milli-units (3 decimals): tonnes of sand and litres of fuel without floats.

use std::fmt;

use crate::error::ServiceError;

/// A quantity in thousandths of the item's unit of measure. Stock is never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity(i64);

impl Quantity {
    /// Milli-units per unit.
    pub const SCALE: i64 = 1000;
    /// Nothing.
    pub const ZERO: Quantity = Quantity(0);

    /// From raw milli-units.
    pub const fn from_milli(m: i64) -> Self {
        Quantity(m)
    }

    /// From whole units.
    pub fn units(n: i64) -> Self {
        Quantity(n.saturating_mul(Self::SCALE))
    }

    /// The raw milli-units (what the database stores).
    pub const fn milli(self) -> i64 {
        self.0
    }

    /// Parses `12`, `12.5`, `0.125` (at most three decimals; no sign, no exponent) into a positive quantity.
    pub fn parse_positive(field: &'static str, raw: &str) -> Result<Self, ServiceError> {
        let q = Self::parse(field, raw)?;
        if q.0 <= 0 {
            return Err(ServiceError::invalid(
                field,
                "数量必须大于 0",
                "The quantity must be greater than 0",
            ));
        }
        Ok(q)
    }

    /// Parses a non-negative decimal with at most three decimals.
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, ServiceError> {
        let bad = || {
            ServiceError::invalid(
                field,
                "数量须为最多三位小数的非负数，例如 12 或 0.5",
                "A quantity is a non-negative number with at most three decimals, e.g. 12 or 0.5",
            )
        };
        let v = raw.trim().replace([',', '，'], "");
        let (whole, frac) = v.split_once('.').unwrap_or((&v, ""));
        if whole.is_empty() && frac.is_empty() {
            return Err(bad());
        }
        if !whole.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
            || frac.len() > 3
        {
            return Err(bad());
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad())?
        };
        let frac: i64 = format!("{frac:0<3}").parse().map_err(|_| bad())?;
        let milli = whole
            .checked_mul(Self::SCALE)
            .and_then(|w| w.checked_add(frac))
            .ok_or_else(bad)?;
        if milli > Self::MAX.0 {
            return Err(bad());
        }
        Ok(Quantity(milli))
    }

    /// Largest quantity accepted in one line (a trillion units): far beyond any reserve, far from overflow.
    pub const MAX: Quantity = Quantity(1_000_000_000_000_000);

    /// Sum, or `None` on overflow.
    pub fn checked_add(self, other: Quantity) -> Option<Quantity> {
        self.0.checked_add(other.0).map(Quantity)
    }

    /// Difference, or `None` on overflow.
    pub fn checked_sub(self, other: Quantity) -> Option<Quantity> {
        self.0.checked_sub(other.0).map(Quantity)
    }

    /// Whether below zero.
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Value at `price_fen` per unit, in fen (rounded half away from zero).
    pub fn value_fen(self, price_fen: i64) -> i64 {
        let v = i128::from(self.0) * i128::from(price_fen);
        let q = (v + if v >= 0 { 500 } else { -500 }) / 1000;
        i64::try_from(q).unwrap_or(if v >= 0 { i64::MAX } else { i64::MIN })
    }
}

impl std::ops::Neg for Quantity {
    type Output = Quantity;

    /// The opposite sign (ledger lines are signed).
    fn neg(self) -> Quantity {
        Quantity(-self.0)
    }
}

impl fmt::Display for Quantity {
    /// `12`, `12.5`, `-0.125`: no trailing zeros.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (whole, frac) = (abs / 1000, abs % 1000);
        if frac == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let frac = format!("{frac:03}");
            write!(f, "{sign}{whole}.{}", frac.trim_end_matches('0'))
        }
    }
}

impl serde::Serialize for Quantity {
    /// As an exact decimal string (`"12.5"`): JSON numbers would invite floats.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Formats fen as yuan with two decimals (`1234.50`).
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quantities_parse_with_up_to_three_decimals() {
        assert_eq!(Quantity::parse("q", "12").unwrap().milli(), 12_000);
        assert_eq!(Quantity::parse("q", "12.5").unwrap().milli(), 12_500);
        assert_eq!(Quantity::parse("q", "0.125").unwrap().milli(), 125);
        assert_eq!(Quantity::parse("q", ".5").unwrap().milli(), 500);
        assert_eq!(Quantity::parse("q", "1,200").unwrap().milli(), 1_200_000);
        for bad in ["", "-1", "1.2345", "1e3", "abc", "1.2.3", "."] {
            assert!(Quantity::parse("q", bad).is_err(), "{bad}");
        }
        assert!(Quantity::parse_positive("q", "0").is_err());
    }

    #[test]
    fn quantities_print_without_trailing_zeros() {
        assert_eq!(Quantity::from_milli(12_500).to_string(), "12.5");
        assert_eq!(Quantity::from_milli(12_000).to_string(), "12");
        assert_eq!(Quantity::from_milli(-125).to_string(), "-0.125");
        assert_eq!(Quantity::from_milli(5).to_string(), "0.005");
    }

    #[test]
    fn value_is_computed_in_fen_without_floats() {
        assert_eq!(Quantity::from_milli(2_500).value_fen(1_999), 4_998); // 2.5 × 19.99 = 49.975 → 49.98
        assert_eq!(yuan(4_998), "49.98");
        assert_eq!(yuan(-5), "-0.05");
    }

    proptest! {
        #[test]
        fn printing_then_parsing_gives_the_same_quantity(m in 0i64..1_000_000_000_000) {
            let q = Quantity::from_milli(m);
            prop_assert_eq!(Quantity::parse("q", &q.to_string()).unwrap(), q);
        }
    }
}
