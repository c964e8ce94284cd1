//! Catalogue rules: GB/T 38565-2020 category codes, items, warehouses, batches.

use chrono::NaiveDate;

use crate::error::ServiceError;
use crate::i18n::text_enum;
use crate::org::model::{optional_text, required_text};

/// A GB/T 38565-2020 category code: `D` (level 1: 1–3), then two digits per level (01–99), up to `D MM SS XX`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CategoryCode(String);

impl CategoryCode {
    /// Parses a code of 1, 3, 5 or 7 digits.
    pub fn parse(raw: &str) -> Result<Self, ServiceError> {
        let v: String = raw.trim().chars().filter(|c| !c.is_whitespace()).collect();
        let bad = || {
            ServiceError::invalid("category_code", "分类代码须为 1、3、5 或 7 位数字（GB/T 38565：D MM SS XX），一级为 1–3，其余各级为 01–99", "A category code has 1, 3, 5 or 7 digits (GB/T 38565: D MM SS XX); level 1 is 1–3, the others 01–99")
        };
        if !matches!(v.len(), 1 | 3 | 5 | 7) || !v.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        if !matches!(&v[..1], "1" | "2" | "3") {
            return Err(bad());
        }
        if (1..v.len()).step_by(2).any(|i| &v[i..i + 2] == "00") {
            return Err(bad());
        }
        Ok(CategoryCode(v))
    }

    /// 1 to 4.
    pub fn level(&self) -> i32 {
        match self.0.len() {
            1 => 1,
            3 => 2,
            5 => 3,
            _ => 4,
        }
    }

    /// The code one level up, if any.
    pub fn parent(&self) -> Option<CategoryCode> {
        (self.0.len() > 1).then(|| CategoryCode(self.0[..self.0.len() - 2].to_string()))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_enum!(
    /// Who owns a batch (权属).
    Ownership, "ownership", {
        Government = "government", "政府储备", "Government reserve";
        Agreement = "agreement", "协议储备", "Agreement reserve";
        HeldForOthers = "held_for_others", "企业代储", "Held for others";
        Donated = "donated", "社会捐赠", "Donated";
    }
);

text_enum!(
    /// The condition of a batch.
    Quality, "quality", {
        Good = "good", "完好", "Good";
        Damaged = "damaged", "损坏", "Damaged";
        Quarantined = "quarantined", "待检", "Quarantined";
    }
);

/// A new catalogue item.
#[derive(Debug, Clone)]
pub struct ItemInput {
    pub code: String,
    pub name: String,
    pub spec: String,
    pub uom: String,
    pub category: CategoryCode,
    pub shelf_life_days: Option<i32>,
    pub track_expiry: bool,
    /// Stock is kept per batch; when false the item gets one standing batch and keepers never pick one.
    pub track_batches: bool,
    /// Each batch is one serial-numbered unit (pumps, boats, generators).
    pub track_serial: bool,
    pub unit_price_fen: Option<i64>,
    /// Its unit may be split (see [`divisible_by_default`]).
    pub divisible: bool,
    /// Days between inspections (检查周期) of equipment that needs them; none for other items.
    pub inspection_interval_days: Option<i32>,
}

/// Units of measure that count whole pieces: an item in one of them takes whole quantities unless it says
/// otherwise (the same list set existing items when the rule arrived).
pub const WHOLE_UNITS: &[&str] = &[
    "台", "个", "件", "条", "顶", "艘", "只", "套", "把", "双", "块", "部", "辆", "张", "箱", "包",
    "盏", "根", "副", "具", "桶", "袋", "瓶", "盒", "卷", "支", "片", "面",
];

/// Whether an item in `uom` may take fractions when nobody says: not for pieces, nor serial numbers.
pub fn divisible_by_default(uom: &str, serial: bool) -> bool {
    !serial && !WHOLE_UNITS.contains(&uom.trim())
}

impl ItemInput {
    /// Parses an item as submitted.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        code: &str,
        name: &str,
        spec: &str,
        uom: &str,
        category: &str,
        shelf_life_days: Option<i32>,
        track_expiry: bool,
        unit_price: Option<&str>,
    ) -> Result<Self, ServiceError> {
        let code = required_text("code", code, 32)?;
        if !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(ServiceError::invalid(
                "code",
                "物资编码只能包含字母、数字和 - _ .",
                "An item code holds letters, digits and - _ . only",
            ));
        }
        if shelf_life_days.is_some_and(|d| !(1..=36_500).contains(&d)) {
            return Err(ServiceError::invalid(
                "shelf_life_days",
                "保质期天数须在 1–36500 之间",
                "Shelf life must be 1–36500 days",
            ));
        }
        Ok(ItemInput {
            code,
            name: required_text("name", name, 100)?,
            spec: optional_text("spec", spec, 200)?,
            uom: required_text("uom", uom, 16)?,
            category: CategoryCode::parse(category)?,
            shelf_life_days,
            track_expiry: track_expiry || shelf_life_days.is_some(),
            track_batches: true,
            track_serial: false,
            unit_price_fen: unit_price.map(parse_price).transpose()?,
            divisible: divisible_by_default(uom, false),
            inspection_interval_days: None,
        })
    }

    /// Sets the days between inspections of the item (equipment that needs them), 1–3650, or none.
    pub fn inspection(mut self, days: Option<i32>) -> Result<Self, ServiceError> {
        self.inspection_interval_days = super::check_inspection_interval(days)?;
        Ok(self)
    }

    /// Says whether the unit may be split, when someone says (otherwise it follows the unit of measure); a
    /// serial-numbered item never is.
    pub fn divisible(mut self, said: Option<bool>) -> Result<Self, ServiceError> {
        match said {
            Some(true) if self.track_serial => Err(ServiceError::invalid(
                "divisible",
                "按序列号管理的物资只能按整件计",
                "A serial-numbered item is counted in whole units",
            )),
            Some(d) => {
                self.divisible = d;
                Ok(self)
            }
            None => Ok(self),
        }
    }

    /// Sets how stock of the item is tracked: serial numbers are batches of one unit each, so serial
    /// tracking needs batch tracking, and so does an expiry date.
    pub fn tracking(mut self, batches: bool, serial: bool) -> Result<Self, ServiceError> {
        if serial && !batches {
            return Err(ServiceError::invalid(
                "track_serial",
                "按序列号管理的物资须按批次（序列号）管理",
                "Serial numbers are kept as batches: serial tracking needs batch tracking",
            ));
        }
        if self.track_expiry && !batches {
            return Err(ServiceError::invalid(
                "track_batches",
                "有保质期的物资须按批次管理",
                "An item with a shelf life must be tracked by batch",
            ));
        }
        self.track_batches = batches;
        self.track_serial = serial;
        if serial {
            self.divisible = false;
        }
        Ok(self)
    }
}

/// The batch number of the one standing batch of an item that is not tracked by batch.
pub const UNBATCHED: &str = "不分批";

/// Parses a price in yuan with at most two decimals into fen.
pub fn parse_price(raw: &str) -> Result<i64, ServiceError> {
    let bad = || {
        ServiceError::invalid(
            "unit_price",
            "单价须为最多两位小数的非负金额",
            "A price is a non-negative amount with at most two decimals",
        )
    };
    let v = raw.trim();
    let (whole, frac) = match v.split_once('.') {
        Some((_, "")) => return Err(bad()),
        Some(parts) => parts,
        None => (v, ""),
    };
    if whole.is_empty()
        || frac.len() > 2
        || !whole
            .chars()
            .chain(frac.chars())
            .all(|c| c.is_ascii_digit())
        || whole.len() > 12
    {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    Ok(whole * 100 + frac)
}

/// A new batch of an item.
#[derive(Debug, Clone)]
pub struct BatchInput {
    pub batch_no: String,
    pub maker: String,
    pub production_date: Option<NaiveDate>,
    pub expiry_date: Option<NaiveDate>,
    pub ownership: Ownership,
    pub custodian_id: Option<i64>,
}

impl BatchInput {
    /// Parses a batch as submitted.
    pub fn parse(
        batch_no: &str,
        maker: &str,
        production_date: Option<NaiveDate>,
        expiry_date: Option<NaiveDate>,
        ownership: Ownership,
        custodian_id: Option<i64>,
    ) -> Result<Self, ServiceError> {
        Ok(BatchInput {
            batch_no: required_text("batch_no", batch_no, 64)?,
            maker: optional_text("maker", maker, 100)?,
            production_date,
            expiry_date,
            ownership,
            custodian_id,
        })
    }

    /// Completes the batch with its item's rules: the expiry defaults to production date plus shelf life,
    /// must follow the production date, and is required when the item tracks expiry.
    pub fn for_item(
        mut self,
        shelf_life_days: Option<i32>,
        track_expiry: bool,
    ) -> Result<Self, ServiceError> {
        if self.expiry_date.is_none() {
            if let (Some(p), Some(days)) = (self.production_date, shelf_life_days) {
                self.expiry_date = Some(p + chrono::Duration::days(i64::from(days)));
            }
        }
        if let (Some(p), Some(e)) = (self.production_date, self.expiry_date) {
            if e <= p {
                return Err(ServiceError::invalid(
                    "expiry_date",
                    "有效期须晚于生产日期",
                    "The expiry date must follow the production date",
                ));
            }
        }
        if track_expiry && self.expiry_date.is_none() {
            return Err(ServiceError::invalid(
                "expiry_date",
                "该物资须登记有效期（或生产日期）",
                "This item needs an expiry date (or a production date)",
            ));
        }
        Ok(self)
    }
}

/// A new warehouse.
#[derive(Debug, Clone)]
pub struct WarehouseInput {
    pub unit_id: i64,
    pub name: String,
    pub address: String,
    pub stocktake_interval_days: i32,
    pub custodians: Vec<i64>,
    /// Latitude and longitude (WGS-84 degrees), when known.
    pub coordinates: Option<(f64, f64)>,
}

/// Reads “latitude, longitude” in degrees (WGS-84, as a phone's map shows them, e.g. `31.06, 120.49`); empty
/// means not recorded. A comma (ASCII or full-width) or spaces separate the two.
pub fn parse_coordinates(text: &str) -> Result<Option<(f64, f64)>, ServiceError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = text
        .split(|c: char| c == ',' || c == '，' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    let read = |p: &str| p.parse::<f64>().ok().filter(|v| v.is_finite());
    match parts.as_slice() {
        [lat, lng] => match (read(lat), read(lng)) {
            (Some(lat), Some(lng))
                if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng) =>
            {
                Ok(Some((lat, lng)))
            }
            _ => Err(bad_coordinates()),
        },
        _ => Err(bad_coordinates()),
    }
}

fn bad_coordinates() -> ServiceError {
    ServiceError::invalid(
        "coordinates",
        "坐标请写作“纬度, 经度”（度，例如 31.06, 120.49），纬度在 ±90、经度在 ±180 之内",
        "Write the coordinates as “latitude, longitude” in degrees (e.g. 31.06, 120.49), within ±90 and ±180",
    )
}

/// The great-circle distance between two points in kilometres.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

impl WarehouseInput {
    /// The same warehouse with its coordinates read from “latitude, longitude” (empty: none).
    pub fn at(mut self, coordinates: &str) -> Result<Self, ServiceError> {
        self.coordinates = parse_coordinates(coordinates)?;
        Ok(self)
    }

    /// Parses a warehouse: it needs at least one named custodian (人物对应) and an interval of 7–730 days.
    pub fn parse(
        unit_id: i64,
        name: &str,
        address: &str,
        interval_days: i32,
        mut custodians: Vec<i64>,
    ) -> Result<Self, ServiceError> {
        custodians.sort_unstable();
        custodians.dedup();
        if custodians.is_empty() {
            return Err(ServiceError::invalid(
                "custodians",
                "每个储备库至少要有一名保管责任人",
                "Every warehouse needs at least one named custodian",
            ));
        }
        if !(7..=730).contains(&interval_days) {
            return Err(ServiceError::invalid(
                "stocktake_interval_days",
                "盘点周期须在 7–730 天之间（月度 30、季度 90）",
                "The stocktake interval is 7–730 days (monthly 30, quarterly 90)",
            ));
        }
        Ok(WarehouseInput {
            unit_id,
            name: required_text("name", name, 100)?,
            address: optional_text("address", address, 200)?,
            stocktake_interval_days: interval_days,
            custodians,
            coordinates: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_read_as_a_phone_map_shows_them() {
        assert_eq!(parse_coordinates("").unwrap(), None);
        assert_eq!(
            parse_coordinates("31.06, 120.49").unwrap(),
            Some((31.06, 120.49))
        );
        assert_eq!(
            parse_coordinates("31.06，120.49").unwrap(),
            Some((31.06, 120.49))
        );
        assert_eq!(
            parse_coordinates(" 31.06 120.49 ").unwrap(),
            Some((31.06, 120.49))
        );
        for bad in [
            "31.06",
            "91, 120",
            "31, 181",
            "北纬31, 120",
            "NaN, 1",
            "1, 2, 3",
        ] {
            assert!(parse_coordinates(bad).is_err(), "{bad}");
        }
        // 吴江 to 苏州市区 is about 15–20 km; a degree of latitude is about 111 km.
        let d = distance_km((31.16, 120.64), (31.30, 120.58));
        assert!((14.0..20.0).contains(&d), "{d}");
        assert!((distance_km((30.0, 120.0), (31.0, 120.0)) - 111.2).abs() < 0.5);
    }

    #[test]
    fn category_codes_follow_the_four_levels_of_gb_t_38565() {
        let c = CategoryCode::parse("2010305").unwrap();
        assert_eq!(c.level(), 4);
        assert_eq!(c.parent().unwrap().as_str(), "20103");
        assert_eq!(CategoryCode::parse("1").unwrap().parent(), None);
        for bad in ["4", "0", "10", "1001", "2000101", "abc", "10101010"] {
            assert!(CategoryCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn prices_are_kept_in_fen() {
        assert_eq!(parse_price("12.5").unwrap(), 1250);
        assert_eq!(parse_price("0.05").unwrap(), 5);
        assert!(parse_price("1.234").is_err());
        assert!(parse_price("-1").is_err());
    }

    #[test]
    fn expiry_defaults_from_the_shelf_life_and_must_follow_production() {
        let p = NaiveDate::from_ymd_opt(2026, 1, 1);
        let b = BatchInput::parse("B1", "", p, None, Ownership::Government, None)
            .unwrap()
            .for_item(Some(365), true)
            .unwrap();
        assert_eq!(b.expiry_date, NaiveDate::from_ymd_opt(2027, 1, 1));
        assert!(
            BatchInput::parse("B1", "", p, p, Ownership::Government, None)
                .unwrap()
                .for_item(None, false)
                .is_err()
        );
        assert!(
            BatchInput::parse("B1", "", None, None, Ownership::Government, None)
                .unwrap()
                .for_item(None, true)
                .is_err(),
            "expiry required"
        );
        assert!(Ownership::parse("mine").is_err());
    }

    #[test]
    fn serial_tracking_needs_batches_and_so_does_a_shelf_life() {
        let item =
            |shelf| ItemInput::parse("P1", "抽水泵", "", "台", "2", shelf, false, None).unwrap();
        assert!(item(None).tracking(false, true).is_err());
        assert!(item(Some(365)).tracking(false, false).is_err());
        let pump = item(None).tracking(true, true).unwrap();
        assert!(!pump.divisible, "a serial number is one whole unit");
        assert!(pump.clone().divisible(Some(true)).is_err());
        assert!(pump.track_serial && pump.track_batches);
    }

    #[test]
    fn pieces_are_whole_and_measures_divisible_unless_said() {
        let item = |uom| ItemInput::parse("X1", "物资", "", uom, "2", None, false, None).unwrap();
        assert!(!item("台").divisible && !item(" 个 ").divisible);
        assert!(item("升").divisible && item("吨").divisible);
        assert!(item("台").divisible(Some(true)).unwrap().divisible);
        assert!(!item("米").divisible(Some(false)).unwrap().divisible);
    }

    #[test]
    fn a_warehouse_needs_a_custodian() {
        assert!(WarehouseInput::parse(1, "一号库", "", 90, vec![]).is_err());
        assert!(WarehouseInput::parse(1, "一号库", "", 3, vec![1]).is_err());
        assert_eq!(
            WarehouseInput::parse(1, "一号库", "", 90, vec![2, 1, 2])
                .unwrap()
                .custodians,
            vec![1, 2]
        );
    }
}
