//! A request as its page and its paper show it: the header, the lines with every quantity, the decisions,
//! the consignments and returns, and the forms the viewer may use, each prefilled (or as typed when it
//! was refused).

use std::collections::HashMap;

use crate::allocation::model::Step;
use crate::allocation::service::may::Mays;
use crate::allocation::service::{waiting_step, RequestView};
use crate::i18n::Lang;
use crate::inventory::model::{ConsignmentState, Quantity};
use crate::inventory::store::catalogue::BatchLabel;
use crate::web::context::local_time;
use crate::web::typed::Typed;

/// A line with its quantities.
pub(super) struct LineRow {
    pub id: i64,
    pub item_id: i64,
    pub item: String,
    pub uom: String,
    pub from: String,
    pub state: &'static str,
    pub done: bool,
    /// Whose decision the line waits for, and whether its source must be chosen first.
    pub waiting: Option<&'static str>,
    pub needs_source: bool,
    pub requested: Quantity,
    /// Empty until the holder decides.
    pub approved: String,
    pub reserved: Quantity,
    pub dispatched: Quantity,
    pub received: Quantity,
    pub lost: Quantity,
    pub returned: Quantity,
    pub on_the_road: Quantity,
    /// The viewer may propose its source: the warehouses holding the item, `(id, label, chosen)`.
    pub propose: Option<Vec<(i64, String, bool)>>,
}

/// A line in the decision form: `qty` prefilled with the quantity awaited.
pub(super) struct DecideRow {
    pub line_id: i64,
    pub item: String,
    pub step: &'static str,
    pub awaited: Quantity,
    pub qty: String,
    pub reason: String,
}

/// A dispatch form: from one warehouse, each line prefilled with what is held.
pub(super) struct DispatchForm {
    pub warehouse_id: i64,
    pub warehouse: String,
    /// `(line, item, held, qty typed)`.
    pub lines: Vec<(i64, String, Quantity, String)>,
    pub carrier: String,
}

/// A line in the loan's return form: `(line, item, still out, good, damaged, lost)`.
pub(super) type ReturnLine = (i64, String, Quantity, String, String, String);

/// A decision as recorded.
pub(super) struct DecisionRow {
    pub item: String,
    pub step: &'static str,
    pub qty: Quantity,
    pub refused: bool,
    pub reason: String,
    pub by: String,
    pub at: String,
    pub after_the_fact: bool,
}

/// A consignment of the request, with its count form when the viewer may count it in.
pub(super) struct ConsRow {
    pub id: i64,
    pub out_voucher_no: String,
    pub out_movement_id: i64,
    pub sees_out: bool,
    pub from: String,
    pub to: String,
    /// A loan coming back to the lender.
    pub back: bool,
    pub sent_at: String,
    pub carrier: String,
    pub state: &'static str,
    pub in_transit: bool,
    /// `(batch, "item batch", sent, uom, count typed or prefilled)`.
    pub lines: Vec<(i64, String, Quantity, String, String)>,
    /// `(movement, state, the viewer may open it)`.
    pub receipt: Option<(i64, &'static str, bool)>,
    pub loss: Option<(i64, &'static str, bool)>,
    pub may_receive: bool,
    /// The count under way in the receiving warehouse that keeps the viewer from counting it in.
    pub counting: Option<i64>,
    pub loss_reason: String,
    pub received_at: String,
}

/// A loan's return as recorded.
pub(super) struct ReturnRow {
    pub item: String,
    pub back: Quantity,
    pub damaged: Quantity,
    pub lost: Quantity,
    pub note: String,
    pub by: String,
    pub at: String,
    pub loss_movement_id: Option<i64>,
}

/// Everything the request page and its paper show.
pub(super) struct Shown {
    pub lines: Vec<LineRow>,
    pub decide: Vec<DecideRow>,
    pub dispatch: Vec<DispatchForm>,
    pub give_back: Vec<ReturnLine>,
    pub decisions: Vec<DecisionRow>,
    pub consignments: Vec<ConsRow>,
    pub returns: Vec<ReturnRow>,
    pub needed_by: String,
    pub created_at: String,
    pub urgent: bool,
    /// A loan: its lines show what came back.
    pub loan: bool,
}

/// What the page needs besides the request: batch labels, account names, the sources of the lines
/// whose source the viewer may propose.
pub(super) struct Extra {
    pub labels: Vec<BatchLabel>,
    pub names: HashMap<i64, String>,
    pub sources: HashMap<i64, Vec<(i64, String)>>,
}

pub(super) fn shown(
    v: &RequestView,
    m: &Mays,
    x: &Extra,
    typed: &Typed,
    lang: Lang,
    tz: chrono_tz::Tz,
) -> Shown {
    let item = |line: i64| {
        v.lines
            .iter()
            .find(|l| l.id == line)
            .map(|l| l.item_name.clone())
            .unwrap_or_default()
    };
    let lines = v
        .lines
        .iter()
        .map(|l| LineRow {
            id: l.id,
            item_id: l.item_id,
            item: format!("{} {}", l.item_code, l.item_name),
            uom: l.uom.clone(),
            from: l.from_warehouse.clone(),
            state: l.state.label(lang),
            done: l.state.is_final(),
            waiting: waiting_step(l, &v.decisions).map(|s| s.label(lang)),
            needs_source: waiting_step(l, &v.decisions) == Some(Step::Holder)
                && l.from_warehouse_id.is_none(),
            requested: l.requested,
            approved: l.approved.map(|q| q.to_string()).unwrap_or_default(),
            reserved: l.reserved,
            dispatched: l.dispatched,
            received: l.received,
            lost: l.lost,
            returned: l.returned,
            on_the_road: l.on_the_road,
            propose: m.propose.contains(&l.id).then(|| {
                let form = format!("propose{}", l.id);
                x.sources
                    .get(&l.item_id)
                    .into_iter()
                    .flatten()
                    .map(|(w, label)| {
                        let chosen = if typed.is(&form) {
                            typed.has(&form, "warehouse_id", w)
                        } else {
                            l.from_warehouse_id == Some(*w)
                        };
                        (*w, label.clone(), chosen)
                    })
                    .collect()
            }),
        })
        .collect();
    let decide = m
        .decide
        .iter()
        .map(|d| DecideRow {
            line_id: d.line_id,
            item: item(d.line_id),
            step: d.step.label(lang),
            awaited: d.awaited,
            qty: typed.or("decide", &format!("qty_{}", d.line_id), d.awaited),
            reason: typed
                .value("decide", &format!("reason_{}", d.line_id))
                .into(),
        })
        .collect();
    let dispatch = m
        .dispatch
        .iter()
        .map(|d| {
            let form = format!("dispatch{}", d.warehouse_id);
            DispatchForm {
                warehouse_id: d.warehouse_id,
                warehouse: d.warehouse.clone(),
                lines: v
                    .lines
                    .iter()
                    .filter(|l| d.lines.contains(&l.id))
                    .map(|l| {
                        let typed = typed.or(&form, &format!("qty_{}", l.id), l.reserved);
                        (l.id, l.item_name.clone(), l.reserved, typed)
                    })
                    .collect(),
                carrier: typed.value(&form, "carrier").into(),
            }
        })
        .collect();
    let give_back = v
        .lines
        .iter()
        .filter(|l| m.give_back.contains(&l.id))
        .map(|l| {
            let out = l.received.checked_sub(l.returned).unwrap_or_default();
            let f = |k: &str, shown: String| typed.or("return", &format!("{k}_{}", l.id), shown);
            (
                l.id,
                l.item_name.clone(),
                out,
                f("good", out.to_string()),
                f("damaged", String::new()),
                f("lost", String::new()),
            )
        })
        .collect();
    let decisions = v
        .decisions
        .iter()
        .map(|d| DecisionRow {
            item: d.item_name.clone(),
            step: d.decision.step.label(lang),
            qty: Quantity::from_milli(d.decision.qty),
            refused: d.decision.qty == 0,
            reason: d.decision.reason.clone(),
            by: d.decided_by_name.clone(),
            at: local_time(&d.decision.decided_at, tz),
            after_the_fact: d.decision.after_the_fact,
        })
        .collect();
    let sees = |w: i64| m.sees.contains(&w);
    let consignments = v
        .consignments
        .iter()
        .map(|cv| {
            let c = &cv.consignment;
            let form = format!("receive{}", c.id);
            ConsRow {
                id: c.id,
                out_voucher_no: cv.out_voucher_no.clone(),
                out_movement_id: c.out_movement_id,
                sees_out: sees(c.from_warehouse_id),
                from: cv.from_warehouse.clone(),
                to: cv.to_warehouse.clone(),
                back: c.to_warehouse_id != v.request.to_warehouse_id,
                sent_at: local_time(&c.sent_at, tz),
                carrier: c.carrier.clone(),
                state: c.state.label(lang),
                in_transit: c.state == ConsignmentState::InTransit,
                lines: cv
                    .lines
                    .iter()
                    .map(|l| {
                        let b = x.labels.iter().find(|b| b.batch_id == l.batch_id);
                        let label = b.map_or_else(String::new, |b| {
                            format!("{} {}", b.item_name, b.batch_no)
                        });
                        let uom = b.map(|b| b.uom.clone()).unwrap_or_default();
                        let count = typed.or(&form, &format!("count_{}", l.batch_id), l.qty);
                        (l.batch_id, label, l.qty, uom, count)
                    })
                    .collect(),
                receipt: c.receipt_movement_id.map(|id| {
                    let state = cv.receipt_state.map_or("", |s| s.label(lang));
                    (id, state, sees(c.to_warehouse_id))
                }),
                loss: c.loss_movement_id.map(|id| {
                    let state = cv.loss_state.map_or("", |s| s.label(lang));
                    (id, state, sees(c.transit_warehouse_id))
                }),
                may_receive: m.receive.contains(&c.id),
                counting: m
                    .counting
                    .iter()
                    .find(|(x, _)| *x == c.id)
                    .map(|(_, st)| *st),
                loss_reason: typed.value(&form, "loss_reason").into(),
                received_at: c
                    .received_at
                    .map(|t| local_time(&t, tz))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let returns = v
        .returns
        .iter()
        .map(|s| ReturnRow {
            item: item(s.line_id),
            back: Quantity::from_milli(s.qty),
            damaged: Quantity::from_milli(s.damaged),
            lost: Quantity::from_milli(s.lost),
            note: s.note.clone(),
            by: x.names.get(&s.created_by).cloned().unwrap_or_default(),
            at: local_time(&s.created_at, tz),
            loss_movement_id: s
                .loss_movement_id
                .filter(|_| sees(v.request.to_warehouse_id)),
        })
        .collect();
    Shown {
        lines,
        decide,
        dispatch,
        give_back,
        decisions,
        consignments,
        returns,
        needed_by: local_time(&v.request.needed_by, tz),
        created_at: local_time(&v.request.created_at, tz),
        urgent: v.request.priority == crate::allocation::model::Priority::Urgent,
        loan: v.request.kind == crate::allocation::model::RequestKind::Loan,
    }
}
