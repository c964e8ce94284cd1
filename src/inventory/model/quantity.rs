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

    /// The form a quantity is written in, as the API states it: 1–12 digits, then optionally a point and
    /// 1–3 decimals. No sign, no exponent, no separators; what people type goes through [`as_typed`] first.
    pub const PATTERN: &'static str = r"^[0-9]{1,12}(\.[0-9]{1,3})?$";
    /// The same, above zero.
    pub const POSITIVE: &'static str = r"^(?!0+(\.0+)?$)[0-9]{1,12}(\.[0-9]{1,3})?$";

    /// Parses a positive quantity in the exact form ([`Quantity::POSITIVE`]).
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

    /// Parses a non-negative quantity in the exact form ([`Quantity::PATTERN`]).
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, ServiceError> {
        let bad = || {
            ServiceError::invalid(
                field,
                "数量须为最多三位小数的非负数，例如 12 或 0.5",
                "A quantity is a non-negative number with at most three decimals, e.g. 12 or 0.5",
            )
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let (whole, frac) = match raw.split_once('.') {
            Some((w, f)) => (w, f),
            None => (raw, "0"),
        };
        if !digits(whole) || !digits(frac) || frac.len() > 3 {
            return Err(bad());
        }
        if whole.len() > 12 {
            return Err(ServiceError::invalid(
                field,
                "数量过大：整数部分最多 12 位（不到一万亿）",
                "The quantity is too large: at most 12 digits before the point (under a trillion)",
            ));
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let frac: i64 = format!("{frac:0<3}").parse().map_err(|_| bad())?;
        Ok(Quantity(whole * Self::SCALE + frac))
    }

    /// Largest quantity a line can hold (twelve nines and three decimals): far beyond any reserve, far from
    /// overflow.
    pub const MAX: Quantity = Quantity(999_999_999_999_999);

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

/// What a person typed, in the exact form: surrounding blanks dropped, full-width digits and points (from a
/// Chinese input method) made ASCII, `.5` read as `0.5` and `12.` as `12`. Commas and blanks are dropped only
/// where they group thousands (`1,200`, `1 000`); anywhere else (`1,5` meant as 1.5) they stay, so that the
/// quantity is refused rather than read as 15.
pub fn as_typed(raw: &str) -> String {
    let mapped: String = raw
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            '，' => ',',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect();
    let (whole, frac) = match mapped.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mapped.as_str(), None),
    };
    let groups: Vec<&str> = whole.split([',', ' ']).collect();
    let thousands = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    let whole = if thousands {
        groups.concat()
    } else {
        whole.to_string()
    };
    let mut out = match frac {
        Some(f) => format!("{whole}.{f}"),
        None => whole,
    };
    if out.starts_with('.') {
        out.insert(0, '0');
    }
    if out.ends_with('.') {
        out.pop();
    }
    out
}

/// Formats fen as yuan with two decimals (`1234.50`).
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Money as people read it on a page: `¥737,392.68` (thousands grouped; files keep plain [`yuan`]).
pub fn money(fen: i64) -> String {
    let plain = yuan(fen);
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", plain.as_str()),
    };
    let (whole, cents) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}¥{grouped}.{cents}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn money_on_pages_groups_thousands() {
        assert_eq!(money(73_739_268), "¥737,392.68");
        assert_eq!(money(5), "¥0.05");
        assert_eq!(money(-123_456_789), "-¥1,234,567.89");
        assert_eq!(money(100_000), "¥1,000.00");
    }

    #[test]
    fn quantities_parse_with_up_to_three_decimals() {
        assert_eq!(Quantity::parse("q", "12").unwrap().milli(), 12_000);
        assert_eq!(Quantity::parse("q", "12.5").unwrap().milli(), 12_500);
        assert_eq!(Quantity::parse("q", "0.125").unwrap().milli(), 125);
        assert_eq!(
            Quantity::parse("q", "999999999999.999").unwrap(),
            Quantity::MAX
        );
        for bad in [
            "", "-1", "1.2345", "1e3", "abc", "1.2.3", ".", ".5", "12.", " 1", "1,200",
        ] {
            assert!(Quantity::parse("q", bad).is_err(), "{bad}");
        }
        assert!(Quantity::parse_positive("q", "0").is_err());
        assert!(Quantity::parse_positive("q", "0.000").is_err());
    }

    #[test]
    fn an_absurd_quantity_is_refused_as_too_large_not_as_malformed() {
        let err = Quantity::parse("qty", "1000000000000000000000000000000").unwrap_err();
        assert!(err.to_string().contains("12"), "{err}");
        assert!(Quantity::parse("qty", "1000000000000").is_err());
    }

    #[test]
    fn what_people_type_is_read_as_they_mean_it() {
        for (typed, milli) in [
            ("1,200", 1_200_000),
            (" 12 ", 12_000),
            ("１２．５", 12_500),
            (".5", 500),
            ("12.", 12_000),
            ("1 000", 1_000_000),
            ("3，000", 3_000_000),
        ] {
            assert_eq!(
                Quantity::parse("q", &as_typed(typed)).unwrap().milli(),
                milli,
                "{typed}"
            );
        }
        assert!(Quantity::parse("q", &as_typed("-1")).is_err());
        for meant_otherwise in ["1,5", "1，5", "1 5", "12,34", "1,2345", "1,500.5,0"] {
            assert!(
                Quantity::parse("q", &as_typed(meant_otherwise)).is_err(),
                "{meant_otherwise} is refused, not read without its separator"
            );
        }
        assert_eq!(
            Quantity::parse("q", &as_typed("1,234,567.5"))
                .unwrap()
                .milli(),
            1_234_567_500
        );
    }

    proptest! {
        #[test]
        fn printing_then_parsing_gives_the_same_quantity(m in 0i64..1_000_000_000_000) {
            let q = Quantity::from_milli(m);
            prop_assert_eq!(Quantity::parse("q", &q.to_string()).unwrap(), q);
        }
    }
}
