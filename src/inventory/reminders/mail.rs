//! What each notice of the reserves says: the data its templates (`templates/email/<kind>/`) read.

use chrono::NaiveDate;

use crate::notify::render::email_content;

/// A batch reaching one of its reminder leads.
#[derive(Debug, Clone)]
pub struct BatchExpiry {
    pub item: String,
    pub spec: String,
    pub batch_no: String,
    pub warehouse: String,
    pub expiry: NaiveDate,
    pub days_left: i64,
    /// None while a blind count is open in the warehouse: the custodians who hear it are counting.
    pub qty: Option<String>,
    pub uom: String,
}
email_content!(
    BatchExpiry,
    "email/batch_expiry/subject.txt",
    "email/batch_expiry/body.txt",
    "email/batch_expiry/body.html"
);

/// An item whose usable stock is below the warehouse's reserve norm.
#[derive(Debug, Clone)]
pub struct BelowNorm {
    pub item: String,
    pub warehouse: String,
    pub required: String,
    pub on_hand: String,
    pub uom: String,
}
email_content!(
    BelowNorm,
    "email/below_norm/subject.txt",
    "email/below_norm/body.txt",
    "email/below_norm/body.html"
);

/// A warehouse's stocktake timing.
#[derive(Debug, Clone)]
pub struct StocktakeFacts {
    pub warehouse: String,
    pub due: NaiveDate,
    /// Days from today to the due date (negative once overdue).
    pub days: i64,
    pub interval_days: i32,
    /// The last approved stocktake's date, if any.
    pub last: Option<NaiveDate>,
}

/// A stocktake falling due soon.
#[derive(Debug, Clone)]
pub struct StocktakeDue(pub StocktakeFacts);
email_content!(
    StocktakeDue,
    "email/stocktake_due/subject.txt",
    "email/stocktake_due/body.txt",
    "email/stocktake_due/body.html"
);

/// A stocktake past due.
#[derive(Debug, Clone)]
pub struct StocktakeOverdue(pub StocktakeFacts);
email_content!(
    StocktakeOverdue,
    "email/stocktake_overdue/subject.txt",
    "email/stocktake_overdue/body.txt",
    "email/stocktake_overdue/body.html"
);

/// A batch's next inspection.
#[derive(Debug, Clone)]
pub struct InspectionFacts {
    pub item: String,
    pub spec: String,
    pub batch_no: String,
    pub warehouse: String,
    pub due: NaiveDate,
    /// Days from today to the due date (negative once overdue).
    pub days: i64,
    pub interval_days: i32,
    /// The last inspection's date, if any.
    pub last: Option<NaiveDate>,
}

/// Equipment whose inspection falls due soon.
#[derive(Debug, Clone)]
pub struct InspectionSoon(pub InspectionFacts);
email_content!(
    InspectionSoon,
    "email/inspection_due/subject.txt",
    "email/inspection_due/body.txt",
    "email/inspection_due/body.html"
);

/// Equipment whose inspection is past due.
#[derive(Debug, Clone)]
pub struct InspectionOverdue(pub InspectionFacts);
email_content!(
    InspectionOverdue,
    "email/inspection_overdue/subject.txt",
    "email/inspection_overdue/body.txt",
    "email/inspection_overdue/body.html"
);

/// A voucher and who recorded it.
#[derive(Debug, Clone)]
pub struct VoucherFacts {
    pub voucher_no: String,
    pub kind_zh: String,
    pub kind_en: String,
    pub warehouse: String,
    /// Recorded (waiting) or posted (owed), office time.
    pub at: String,
    pub by: String,
    pub hours: i64,
}

/// A voucher waiting too long for its second signature.
#[derive(Debug, Clone)]
pub struct CountersignWaiting(pub VoucherFacts);
email_content!(
    CountersignWaiting,
    "email/countersign_waiting/subject.txt",
    "email/countersign_waiting/body.txt",
    "email/countersign_waiting/body.html"
);

/// An emergency issue that went out first and still owes its countersignature (事后补签).
#[derive(Debug, Clone)]
pub struct CountersignOwed(pub VoucherFacts);
email_content!(
    CountersignOwed,
    "email/countersign_owed/subject.txt",
    "email/countersign_owed/body.txt",
    "email/countersign_owed/body.html"
);

/// The nightly verification found differences.
#[derive(Debug, Clone)]
pub struct LedgerMismatch {
    pub day: NaiveDate,
    pub warehouses: usize,
    pub movements: i64,
    /// The first problems, one line each.
    pub problems: Vec<String>,
    /// How many problems in all.
    pub total: usize,
}
email_content!(
    LedgerMismatch,
    "email/ledger_mismatch/subject.txt",
    "email/ledger_mismatch/body.txt",
    "email/ledger_mismatch/body.html"
);
