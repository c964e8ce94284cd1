//! The ledger's rules: kinds of movement, what their lines may hold, who signs, the hash chain.

use chrono::NaiveDate;

use super::catalogue::Quality;
use super::quantity::Quantity;
use crate::error::ServiceError;
use crate::i18n::text_enum;

text_enum!(
    /// What a movement does to stock.
    MovementKind, "kind", {
        Purchase = "purchase", "采购入库", "Purchase receipt";
        Donation = "donation", "捐赠入库", "Donation receipt";
        TransferIn = "transfer_in", "调拨入库", "Transfer in";
        Return = "return", "归还入库", "Return";
        Use = "use", "领用出库", "Issue for use";
        TransferOut = "transfer_out", "调拨出库", "Transfer out";
        Loan = "loan", "借用出库", "Loan";
        Rotation = "rotation", "轮换", "Rotation";
        WriteOff = "write_off", "报废核销", "Write-off";
        CountGain = "count_gain", "盘盈", "Stocktake gain";
        CountLoss = "count_loss", "盘亏", "Stocktake loss";
        Reversal = "reversal", "冲销", "Reversal";
        Opening = "opening", "期初建账", "Opening balance";
    }
);

/// Which way a kind moves stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Every line adds.
    In,
    /// Every line removes.
    Out,
    /// Old stock out, new stock in (rotation).
    Both,
    /// The mirror of the movement it reverses.
    Mirror,
}

impl MovementKind {
    /// The sign its lines must carry.
    pub fn direction(self) -> Direction {
        use MovementKind::*;
        match self {
            Purchase | Donation | TransferIn | Return | CountGain | Opening => Direction::In,
            Use | TransferOut | Loan | WriteOff | CountLoss => Direction::Out,
            Rotation => Direction::Both,
            Reversal => Direction::Mirror,
        }
    }

    /// Voucher prefix: RK 入库, CK 出库, LH 轮换, BF 报废, PD 盘点, CX 冲销.
    pub fn voucher_prefix(self) -> &'static str {
        match (self, self.direction()) {
            (MovementKind::Rotation, _) => "LH",
            (MovementKind::WriteOff, _) => "BF",
            (MovementKind::CountGain | MovementKind::CountLoss, _) => "PD",
            (MovementKind::Reversal, _) => "CX",
            (MovementKind::Opening, _) => "QC",
            (_, Direction::In) => "RK",
            _ => "CK",
        }
    }

    /// Whether a keeper may record this kind directly (others come from transfers, stocktakes, reversals).
    pub fn recordable(self) -> bool {
        !matches!(
            self,
            MovementKind::TransferIn
                | MovementKind::CountGain
                | MovementKind::CountLoss
                | MovementKind::Reversal
                | MovementKind::Opening
        )
    }

    /// Whether the second signature must be an approver's (scrapping needs approval before it happens).
    pub fn needs_approver(self) -> bool {
        self == MovementKind::WriteOff
    }

    /// Whether it may post at once as an emergency issue, signed afterwards (事后补办).
    pub fn may_be_emergency(self) -> bool {
        matches!(
            self,
            MovementKind::Use | MovementKind::TransferOut | MovementKind::Loan
        )
    }
}

text_enum!(
    /// Where a movement is in its life.
    MovementState, "state", {
        Pending = "pending", "待复核", "Awaiting countersignature";
        Posted = "posted", "已过账", "Posted";
        Rejected = "rejected", "已退回", "Rejected";
    }
);

/// One line as recorded: signed quantity of a batch.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, utoipa::ToSchema,
)]
pub struct Line {
    pub item_id: i64,
    pub batch_id: i64,
    /// Signed: positive adds to stock, negative removes.
    #[schema(value_type = String)]
    pub qty: Quantity,
}

/// A line as requested: a positive quantity of a batch; `out` says which way for a rotation.
#[derive(Debug, Clone, Copy)]
pub struct LineRequest {
    pub batch_id: i64,
    pub qty: Quantity,
    pub out: Option<bool>,
}

/// The signed quantity of a requested line under `kind`.
pub fn signed(kind: MovementKind, req: &LineRequest) -> Result<Quantity, ServiceError> {
    match (kind.direction(), req.out) {
        (Direction::In, _) => Ok(req.qty),
        (Direction::Out, _) => Ok(-req.qty),
        (Direction::Both, Some(true)) => Ok(-req.qty),
        (Direction::Both, Some(false)) => Ok(req.qty),
        _ => Err(ServiceError::invalid(
            "out",
            "轮换的每一行须注明出库（旧批次）或入库（新批次）",
            "Each rotation line must say whether it goes out (old batch) or in (new batch)",
        )),
    }
}

/// Most lines one voucher may carry.
pub const MAX_LINES: usize = 500;

/// Checks that the lines fit the kind: not empty, no zero, signs as the direction says, one line per batch.
pub fn check_lines(kind: MovementKind, lines: &[Line]) -> Result<(), ServiceError> {
    if lines.is_empty() {
        return Err(ServiceError::invalid(
            "lines",
            "至少需要一行物资",
            "At least one line is needed",
        ));
    }
    if lines.len() > MAX_LINES {
        return Err(ServiceError::invalid(
            "lines",
            "一张凭证最多 500 行",
            "At most 500 lines per voucher",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for l in lines {
        if l.qty == Quantity::ZERO {
            return Err(ServiceError::invalid(
                "qty",
                "数量不能为 0",
                "A quantity cannot be zero",
            ));
        }
        if !seen.insert(l.batch_id) {
            return Err(ServiceError::invalid(
                "lines",
                "同一批次在一张凭证中只能出现一次",
                "Each batch may appear once per voucher",
            ));
        }
    }
    let ok = match kind.direction() {
        Direction::In => lines.iter().all(|l| !l.qty.is_negative()),
        Direction::Out => lines.iter().all(|l| l.qty.is_negative()),
        Direction::Both => {
            lines.iter().any(|l| l.qty.is_negative()) && lines.iter().any(|l| !l.qty.is_negative())
        }
        Direction::Mirror => true,
    };
    if !ok {
        return Err(ServiceError::invalid(
            "lines",
            "数量方向与业务类型不符（入库为正、出库为负，轮换须有出有入）",
            "Quantities do not fit the kind (receipts add, issues remove, a rotation does both)",
        ));
    }
    Ok(())
}

/// Expired stock leaves only by write-off; damaged or quarantined stock is not issued for use.
pub fn check_issuable(
    kind: MovementKind,
    expiry: Option<NaiveDate>,
    quality: Quality,
    today: NaiveDate,
) -> Result<(), ServiceError> {
    if kind == MovementKind::WriteOff || matches!(kind.direction(), Direction::In) {
        return Ok(());
    }
    if expiry.is_some_and(|e| e < today) {
        return Err(ServiceError::invalid(
            "batch_id",
            "该批次已过期，只能报废核销",
            "This batch has expired; it can only be written off",
        ));
    }
    if quality != Quality::Good
        && matches!(
            kind,
            MovementKind::Use | MovementKind::Loan | MovementKind::TransferOut
        )
    {
        return Err(ServiceError::invalid(
            "batch_id",
            "该批次质量状态异常，不能发放",
            "This batch is not in good condition and cannot be issued",
        ));
    }
    Ok(())
}

/// An item kept in whole pieces (台, 个 …) moves and is counted in whole numbers.
pub fn check_whole(
    divisible: bool,
    qty: Quantity,
    item: &str,
    uom: &str,
) -> Result<(), ServiceError> {
    if !divisible && qty.milli() % Quantity::SCALE != 0 {
        return Err(ServiceError::Invalid {
            field: "qty",
            message: crate::i18n::Text::new(
                format!("「{item}」按整{uom}计，数量不能有小数（{qty}）"),
                format!("{item} is kept in whole {uom}: no fractions ({qty})"),
            ),
        });
    }
    Ok(())
}

/// A serial-numbered item moves one unit per line.
pub fn check_serial_line(qty: Quantity) -> Result<(), ServiceError> {
    if qty != Quantity::units(1) && qty != -Quantity::units(1) {
        return Err(ServiceError::invalid(
            "qty",
            "按序列号管理的物资每个序列号数量只能为 1",
            "A serial-numbered item moves one unit per serial number",
        ));
    }
    Ok(())
}

/// A serial number exists once in the district: it cannot be received while it is held anywhere.
pub fn check_serial_receipt(held_anywhere: Quantity) -> Result<(), ServiceError> {
    if held_anywhere > Quantity::ZERO {
        return Err(ServiceError::conflict(
            "该序列号的物资已在库，不能重复入库",
            "This serial number is already in stock; it cannot be received twice",
        ));
    }
    Ok(())
}

/// A voucher number: `RK-2026-000123`.
pub fn voucher_no(prefix: &str, year: i32, n: i64) -> String {
    format!("{prefix}-{year}-{n:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_pieces_take_whole_numbers() {
        let half = Quantity::from_milli(500);
        assert!(check_whole(false, half, "柴油发电机组", "台").is_err());
        assert!(check_whole(true, half, "柴油", "升").is_ok());
        assert!(check_whole(false, Quantity::units(2), "柴油发电机组", "台").is_ok());
        assert!(check_whole(false, -Quantity::units(2), "柴油发电机组", "台").is_ok());
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn line(batch: i64, milli: i64) -> Line {
        Line {
            item_id: 1,
            batch_id: batch,
            qty: Quantity::from_milli(milli),
        }
    }

    #[test]
    fn each_kind_carries_its_voucher_prefix() {
        assert_eq!(MovementKind::Purchase.voucher_prefix(), "RK");
        assert_eq!(MovementKind::Use.voucher_prefix(), "CK");
        assert_eq!(MovementKind::WriteOff.voucher_prefix(), "BF");
        assert_eq!(MovementKind::CountLoss.voucher_prefix(), "PD");
        assert_eq!(voucher_no("RK", 2026, 123), "RK-2026-000123");
    }

    #[test]
    fn lines_must_fit_the_direction_of_their_kind() {
        assert!(check_lines(MovementKind::Purchase, &[line(1, 5)]).is_ok());
        assert!(check_lines(MovementKind::Purchase, &[line(1, -5)]).is_err());
        assert!(check_lines(MovementKind::Use, &[line(1, 5)]).is_err());
        assert!(
            check_lines(MovementKind::Rotation, &[line(1, -5)]).is_err(),
            "a rotation brings new stock in"
        );
        assert!(check_lines(MovementKind::Rotation, &[line(1, -5), line(2, 5)]).is_ok());
        assert!(check_lines(MovementKind::Use, &[]).is_err());
        assert!(check_lines(MovementKind::Use, &[line(1, 0)]).is_err());
        assert!(
            check_lines(MovementKind::Use, &[line(1, -1), line(1, -2)]).is_err(),
            "one line per batch"
        );
    }

    #[test]
    fn a_serial_number_moves_one_unit_and_exists_once() {
        assert!(check_serial_line(Quantity::units(1)).is_ok());
        assert!(check_serial_line(-Quantity::units(1)).is_ok());
        assert!(check_serial_line(Quantity::units(2)).is_err());
        assert!(check_serial_line(Quantity::from_milli(500)).is_err());
        assert!(check_serial_receipt(Quantity::ZERO).is_ok());
        assert!(check_serial_receipt(Quantity::units(1)).is_err());
    }

    #[test]
    fn expired_batches_leave_only_by_write_off() {
        let today = d("2026-11-28");
        assert!(check_issuable(
            MovementKind::Use,
            Some(d("2026-11-27")),
            Quality::Good,
            today
        )
        .is_err());
        assert!(check_issuable(
            MovementKind::WriteOff,
            Some(d("2026-11-27")),
            Quality::Good,
            today
        )
        .is_ok());
        assert!(
            check_issuable(
                MovementKind::Use,
                Some(d("2026-11-28")),
                Quality::Good,
                today
            )
            .is_ok(),
            "usable on its last day"
        );
        assert!(check_issuable(MovementKind::Use, None, Quality::Damaged, today).is_err());
    }
}
