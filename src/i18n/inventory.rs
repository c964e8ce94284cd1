//! Interface strings of reserves added since the first table: reservations, goods on the road.

/// The reservations' strings, audit entity codes included.
pub const ENTRIES: &[(&str, &str, &str)] = &[
    ("inv.reserved", "已预留", "Reserved"),
    ("reservation", "库存预留", "Reservation"),
    ("inv.reservations", "预留", "Reservations"),
    ("inv.reservations_hint", "预留的库存只能用于其用途（调拨、演练等），普通出库只能动用未预留的部分；盘亏少于预留量时，最新的预留先缩减。", "Reserved stock is kept for its purpose (an allocation, a drill); ordinary issues take only what is not reserved. A count short of the reservations shrinks the newest first."),
    ("inv.purpose", "用途", "Purpose"),
    ("inv.held", "预留数量", "Held"),
    ("inv.until", "预留至", "Until"),
    ("inv.release", "释放", "Release"),
    ("inv.reserve", "预留库存", "Reserve stock"),
    ("inv.reservation_differences", "预留数与预留记录不符", "Reserved parts that differ from the reservations held"),
    ("consignment", "在途单", "Consignment"),
];
