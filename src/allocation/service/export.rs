//! Requests as a spreadsheet: one row per line, with every quantity and where it comes from.

use chrono::NaiveDate;

use super::RequestView;
use crate::i18n::Lang;
use crate::sheets::{Cell, Table};

/// The lines of `requests` (as listed for the actor) as a table in `lang`; times in the office's zone.
pub fn lines_table(
    requests: &[RequestView],
    lang: Lang,
    tz: chrono_tz::Tz,
    day: NaiveDate,
) -> Table {
    let (zh, en): (&[&str], &[&str]) = (
        &[
            "单号",
            "类型",
            "调令",
            "申请状态",
            "行状态",
            "申请单位",
            "调入储备库",
            "物资编码",
            "品名",
            "计量单位",
            "申请数量",
            "批准数量",
            "已预留",
            "已发出",
            "已接收",
            "短少",
            "已归还",
            "调出储备库",
            "优先级",
            "需用时间",
            "归还日期",
            "用途",
        ],
        &[
            "Number",
            "Kind",
            "Emergency order",
            "Request state",
            "Line state",
            "Requesting unit",
            "Deliver to",
            "Code",
            "Item",
            "Unit",
            "Requested",
            "Approved",
            "Reserved",
            "Dispatched",
            "Received",
            "Lost",
            "Returned",
            "Source warehouse",
            "Priority",
            "Needed by",
            "Return due",
            "Purpose",
        ],
    );
    let headers = match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    let yes = match lang {
        Lang::Zh => "是",
        Lang::En => "yes",
    };
    let text = |s: &str| Cell::Text(s.to_string());
    let mut rows = Vec::new();
    for v in requests {
        let r = &v.request;
        let needed = r
            .needed_by
            .and_utc()
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M")
            .to_string();
        for l in &v.lines {
            rows.push(vec![
                text(&r.no),
                text(r.kind.label(lang)),
                text(if r.emergency { yes } else { "" }),
                text(r.state.label(lang)),
                text(l.state.label(lang)),
                text(&v.unit),
                text(&v.to_warehouse),
                text(&l.item_code),
                text(&l.item_name),
                text(&l.uom),
                Cell::Qty(l.requested.milli()),
                match l.approved {
                    Some(q) => Cell::Qty(q.milli()),
                    None => text(""),
                },
                Cell::Qty(l.reserved.milli()),
                Cell::Qty(l.dispatched.milli()),
                Cell::Qty(l.received.milli()),
                Cell::Qty(l.lost.milli()),
                Cell::Qty(l.returned.milli()),
                text(&l.from_warehouse),
                text(r.priority.label(lang)),
                text(&needed),
                Cell::Date(r.return_due),
                text(&r.purpose),
            ]);
        }
    }
    let what = match lang {
        Lang::Zh => "调拨申请",
        Lang::En => "allocations",
    };
    Table {
        name: format!("{what}-{day}"),
        sheet: what.to_string(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}
