//! The drafting form: title, urgency, sending unit, deadline, body, the units addressed (by kind, by
//! subtree, one by one), who else hears it, and the reply asked. Refused, it comes back with what was typed.
//! Files are attached on the draft's page, before it is issued.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use chrono::{Duration, Timelike};

use super::{local_instant, text, LABELS};
use crate::circulars::model::{CircularInput, CircularReplyMode, CircularUrgency, Pick};
use crate::circulars::service::drafting::{self, DraftOptions};
use crate::error::ServiceResult;
use crate::i18n::Text;
use crate::org::model::{Role, UnitKind};
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::typed::{submit_or_again, Refused, Typed};
use crate::web::{render, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(new_form).service(create);
}

#[derive(Template)]
#[template(path = "circulars/new.html")]
struct NewPage {
    ctx: Ctx,
    o: DraftOptions,
    typed: Typed,
    due: String,
    urgencies: Vec<(&'static str, &'static str)>,
    modes: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    roles: Vec<(&'static str, &'static str)>,
}

impl NewPage {
    fn kind_label(&self, k: &UnitKind) -> &'static str {
        k.label(self.ctx.lang)
    }
}

async fn form_view(page: &Page, refused: Option<Refused>) -> Result<HttpResponse, PageError> {
    let (ctx, (o, due)) = page
        .run(|c| {
            let o = drafting::options(c.conn, c.actor)?;
            // Two days from now at 17:00, as the browser's datetime-local field writes it.
            let soon = (c.now + Duration::days(2)).with_timezone(&c.tz);
            let soon = soon
                .with_hour(17)
                .and_then(|t| t.with_minute(0))
                .unwrap_or(soon);
            Ok((o, soon.format("%Y-%m-%dT%H:%M").to_string()))
        })
        .await?;
    let lang = ctx.lang;
    let (typed, status) = Typed::of(refused, lang, LABELS);
    let view = NewPage {
        o,
        typed,
        due,
        urgencies: CircularUrgency::ALL
            .iter()
            .map(|k| (k.code(), k.label(lang)))
            .collect(),
        modes: CircularReplyMode::ALL
            .iter()
            .map(|k| (k.code(), k.label(lang)))
            .collect(),
        kinds: [
            UnitKind::Department,
            UnitKind::Street,
            UnitKind::Enterprise,
            UnitKind::RescueTeam,
            UnitKind::Other,
        ]
        .iter()
        .map(|k| (k.code(), k.label(lang)))
        .collect(),
        roles: [
            Role::UnitHead,
            Role::DutyLeader,
            Role::DutyOfficer,
            Role::WarehouseKeeper,
            Role::DrillCoordinator,
        ]
        .iter()
        .map(|k| (k.code(), k.label(lang)))
        .collect(),
        ctx,
    };
    render(&view, status)
}

#[get("/circulars/new")]
async fn new_form(page: Page) -> Result<HttpResponse, PageError> {
    form_view(&page, None).await
}

fn all_ids(f: &[(String, String)], name: &str) -> Vec<i64> {
    f.iter()
        .filter(|(k, _)| k == name)
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect()
}

/// The draft the form describes, or the first thing wrong with it.
fn input(f: &[(String, String)], tz: chrono_tz::Tz) -> ServiceResult<CircularInput> {
    let from = crate::web::forms::optional_id("from_unit_id", text(f, "from_unit_id"))?
        .ok_or_else(|| {
            crate::error::ServiceError::invalid(
                "from_unit_id",
                "请选择发文单位",
                "Choose the sending unit",
            )
        })?;
    Ok(CircularInput {
        title: text(f, "title").to_string(),
        body: f
            .iter()
            .rev()
            .find(|(k, _)| k == "body")
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        urgency: CircularUrgency::parse(text(f, "urgency"))?,
        from_unit_id: from,
        ack_due: local_instant("ack_due", text(f, "ack_due"), tz)?,
        notify_role: Role::parse(text(f, "notify_role"))?,
        reply_mode: CircularReplyMode::parse(text(f, "reply_mode"))?,
        reply_file: text(f, "reply_file") == "1",
        fields: vec![text(f, "fields").to_string()],
        pick: Pick {
            kinds: f
                .iter()
                .filter(|(k, _)| k == "kind")
                .map(|(_, v)| UnitKind::parse(v))
                .collect::<ServiceResult<_>>()?,
            subtrees: all_ids(f, "subtree"),
            units: all_ids(f, "unit"),
        },
    })
}

#[post("/circulars")]
async fn create(
    page: Page,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let typed = f.clone();
    submit_or_again(
        &page,
        "draft",
        typed,
        move |c| drafting::draft(c.conn, c.actor, c.now, input(&f, c.tz)?),
        |v| {
            (
                Text::new(
                    format!(
                        "已保存草稿，共 {} 个接收单位；可添加附件后下发",
                        v.units.len()
                    ),
                    format!(
                        "Draft saved for {} units; attach files, then issue it",
                        v.units.len()
                    ),
                ),
                format!("/circulars/{}", v.circular.id),
            )
        },
        |refused| form_view(&page, Some(refused)),
    )
    .await
}
