//! The sender's side: reminding the units that have not acknowledged (or replied) in one action, the
//! replies as a spreadsheet, and the overdue report.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{get, sends, tree, CircularView};
use crate::audit::{model::Change, service as audit};
use crate::circulars::model::{check_open, sends_district_wide, CircularReplyMode};
use crate::circulars::notices::{self, Occasion};
use crate::circulars::store::{self as store};
use crate::circulars::Area;
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Lang;
use crate::org::model::Actor;
use crate::org::store as org_store;
use crate::sheets::{Cell, Table};

/// Reminds every addressed unit that has not acknowledged, or owes a reply (the sender). Returns the
/// circular and how many units were reminded.
pub fn remind(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    cfg: &Config,
    area: &Area,
    id: i64,
) -> ServiceResult<(CircularView, usize)> {
    write_tx(conn, |c| {
        let before = get(c, actor, id, now)?;
        if !before.as_sender {
            return Err(ServiceError::Forbidden);
        }
        check_open(before.circular.state)?;
        let wants_reply = before.circular.reply_mode != CircularReplyMode::None;
        let laggards: Vec<_> = before
            .units
            .iter()
            .filter(|u| !u.standing.acknowledged() || (wants_reply && u.replied_at.is_none()))
            .collect();
        if laggards.is_empty() {
            return Err(ServiceError::conflict(
                "所有单位都已签收并回执，无需催办",
                "Every unit has acknowledged and replied; nobody to remind",
            ));
        }
        let people = org_store::reachable_people(c)?;
        let files: Vec<String> = before.files.iter().map(|f| f.file_name.clone()).collect();
        let stamp = now.timestamp();
        for u in &laggards {
            let text = notices::mail(
                area,
                &before.circular,
                &before.from_unit,
                (u.unit_id, &u.unit),
                &before.fields,
                &files,
                Occasion::Reminder,
                cfg.timezone,
            );
            let out = notices::outgoing(
                c,
                &people,
                text,
                &before.circular,
                u.unit_id,
                format!("circular_remind:{id}:{}:{stamp}", u.unit_id),
            )?;
            crate::notify::service::enqueue(c, cfg, now, &out)?;
            store::reminded(c, id, u.unit_id, db_time(now))?;
        }
        let after = get(c, actor, id, now)?;
        let change = Change::of(
            "circular",
            id,
            Some(before.circular.from_unit_id),
            Some(&before),
            Some(&after),
        )
        .action("remind");
        audit::record(c, Some(actor), now, change)?;
        Ok((after, laggards.len()))
    })
}

/// The replies as a table (the sender): one row per addressed unit, with its acknowledgement and each
/// field of the reply form.
pub fn replies_table(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    lang: Lang,
    tz: chrono_tz::Tz,
) -> ServiceResult<Table> {
    let v = get(conn, actor, id, now)?;
    if !v.as_sender {
        return Err(ServiceError::Forbidden);
    }
    let zh = lang == Lang::Zh;
    let t = |a: &str, b: &str| if zh { a.to_string() } else { b.to_string() };
    let mut headers = vec![
        t("单位", "Unit"),
        t("签收状态", "Standing"),
        t("签收时间", "Acknowledged at"),
        t("签收人", "Acknowledged by"),
        t("签收方式", "How"),
        t("回执时间", "Replied at"),
        t("回执人", "Replied by"),
    ];
    headers.extend(v.fields.iter().cloned());
    headers.push(t("回执内容", "Reply"));
    headers.push(t("回执附件", "Reply file"));
    let time = |x: &Option<chrono::NaiveDateTime>| {
        x.map(|x| crate::web::context::local_time(&x, tz))
            .unwrap_or_default()
    };
    let rows = v
        .units
        .iter()
        .map(|u| {
            let mut row = vec![
                Cell::Text(u.unit.clone()),
                Cell::Text(u.standing.label(lang).into()),
                Cell::Text(time(&u.acked_at)),
                Cell::Text(u.acked_name.clone()),
                Cell::Text(
                    u.acked_via
                        .map(|a| a.label(lang))
                        .unwrap_or_default()
                        .into(),
                ),
                Cell::Text(time(&u.replied_at)),
                Cell::Text(u.replied_by.clone()),
            ];
            for n in 0..v.fields.len() {
                row.push(Cell::Text(
                    u.reply_values.get(n).cloned().unwrap_or_default(),
                ));
            }
            row.push(Cell::Text(u.reply_text.clone()));
            row.push(Cell::Text(
                u.reply_file
                    .as_ref()
                    .map(|f| f.file_name.clone())
                    .unwrap_or_default(),
            ));
            row
        })
        .collect();
    Ok(Table {
        name: crate::sheets::safe_name(&format!("{}-{}", v.circular.title, t("回执", "replies"))),
        sheet: t("回执", "Replies"),
        headers,
        rows,
    })
}

/// A unit on the overdue report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CircularOverdueRow {
    pub circular_id: i64,
    pub title: String,
    pub unit_id: i64,
    pub unit: String,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub ack_due: chrono::NaiveDateTime,
    /// Hours past the deadline.
    pub hours_late: i64,
    pub reminders: i32,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub escalated_at: Option<chrono::NaiveDateTime>,
}

/// Every unit that has not acknowledged an issued circular by its deadline, among the circulars the actor
/// sends (office staff: all), longest overdue first.
pub fn overdue_report(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<CircularOverdueRow>> {
    let tree = tree(conn, actor)?;
    let all = sends_district_wide(actor);
    let names = org_store::unit_names(conn, false)?;
    let mut out: Vec<CircularOverdueRow> = store::overdue(conn, db_time(now))?
        .into_iter()
        .filter(|(c, _)| all || sends(actor, c, &tree))
        .map(|(c, r)| CircularOverdueRow {
            circular_id: c.id,
            title: c.title.clone(),
            unit_id: r.unit_id,
            unit: names
                .iter()
                .find(|(u, _)| *u == r.unit_id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            ack_due: c.ack_due,
            hours_late: (now - c.ack_due.and_utc()).num_hours(),
            reminders: r.reminders,
            escalated_at: r.escalated_at,
        })
        .collect();
    if !all && !actor.holds_any(crate::circulars::model::SENDERS) {
        return Err(ServiceError::Forbidden);
    }
    out.sort_by_key(|r| (r.ack_due, r.circular_id, r.unit_id));
    Ok(out)
}
