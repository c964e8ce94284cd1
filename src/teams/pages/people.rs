//! A person's team record (certificates with their scans, leave, training hours), the leave queue, and the
//! lists of specialities and certificate types.

use actix_multipart::Multipart;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::Names;
use crate::attachments::{Upload, MAX_BYTES, SCANS};
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::org::service::people;
use crate::teams::api::people::scan_response;
use crate::teams::model::{hours_of, CertificateInput, LeaveInput, LeaveKind, LeaveState};
use crate::teams::service::certificates::{self, PersonRecord};
use crate::teams::service::leaves::{self, Decision};
use crate::teams::service::lists;
use crate::teams::store::members::Leave;
use crate::web::auth::request_lang;
use crate::web::context::{safe_next, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::forms::optional_date;
use crate::web::upload::{read_form, Uploaded};
use crate::web::{InLang, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(person_page)
        .service(add_certificate)
        .service(renew_certificate)
        .service(upload_scan)
        .service(download_scan)
        .service(request_leave)
        .service(leave_queue)
        .service(decide_leave)
        .service(lists_page)
        .service(add_speciality)
        .service(add_certificate_type);
}

struct CertificateLine {
    id: i64,
    kind: String,
    kind_code: String,
    number: String,
    issuer: String,
    issued_on: String,
    expires_on: String,
    valid: bool,
    /// "12 days left", "lapsed".
    note: String,
    scan: bool,
}

struct LeaveLine {
    id: i64,
    who: String,
    kind: &'static str,
    days: String,
    reason: String,
    state: &'static str,
    open: bool,
    note: String,
}

fn leave_line(l: &Leave, who: String, lang: crate::i18n::Lang) -> LeaveLine {
    LeaveLine {
        id: l.id,
        who,
        kind: l.kind.label(lang),
        days: format!(
            "{} → {}（{}）",
            l.starts_on,
            l.ends_on,
            (l.ends_on - l.starts_on).num_days() + 1
        ),
        reason: l.reason.clone(),
        state: l.state.label(lang),
        open: matches!(l.state, LeaveState::Requested | LeaveState::Approved),
        note: l.decision_note.clone(),
    }
}

#[derive(Template)]
#[template(path = "teams/person.html")]
struct PersonPage {
    ctx: Ctx,
    record: PersonRecord,
    teams: Vec<(i64, String, &'static str, &'static str)>,
    certificates: Vec<CertificateLine>,
    leaves: Vec<LeaveLine>,
    types: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    hours: String,
}

#[get("/teams/people/{id}")]
async fn person_page(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    page.show(
        move |c| {
            let record = certificates::record(c.conn, c.actor, id, c.now, c.tz)?;
            let teams = crate::teams::service::teams::names(c.conn)?;
            Ok((record, teams, lists::lists(c.conn)?))
        },
        |ctx, (record, teams, lists)| {
            let lang = ctx.lang;
            let names = Names::of(&lists, lang);
            let certificates = record
                .certificates
                .iter()
                .map(|c| CertificateLine {
                    id: c.certificate.id,
                    kind: names.certificate(&c.certificate.certificate_type),
                    kind_code: c.certificate.certificate_type.clone(),
                    number: c.certificate.number.clone(),
                    issuer: c.certificate.issuer.clone(),
                    issued_on: c.certificate.issued_on.to_string(),
                    expires_on: c
                        .certificate
                        .expires_on
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    valid: c.valid,
                    note: match (c.valid, c.days_left) {
                        (false, Some(d)) if d < 0 => ctx.t("teams.lapsed").to_string(),
                        (false, _) => ctx.t("teams.not_yet_valid").to_string(),
                        (true, Some(d)) => format!("{d} {}", ctx.t("teams.days_left")),
                        (true, None) => ctx.t("teams.no_expiry").to_string(),
                    },
                    scan: c.certificate.attachment_id.is_some(),
                })
                .collect();
            PersonPage {
                teams: record
                    .memberships
                    .iter()
                    .map(|m| {
                        let name = teams
                            .iter()
                            .find(|(i, _)| *i == m.team_id)
                            .map(|(_, n)| n.clone());
                        (
                            m.team_id,
                            name.unwrap_or_default(),
                            m.role.label(lang),
                            m.status.label(lang),
                        )
                    })
                    .collect(),
                leaves: record
                    .leaves
                    .iter()
                    .map(|l| leave_line(l, record.name.clone(), lang))
                    .collect(),
                certificates,
                hours: hours_of(record.training.minutes),
                types: names.certificates,
                kinds: LeaveKind::ALL
                    .iter()
                    .map(|k| (k.code(), k.label(lang)))
                    .collect(),
                record,
                ctx,
            }
        },
    )
    .await
}

/// The certificate fields of a form.
fn certificate_input(person: i64, f: &Uploaded) -> Result<CertificateInput, ServiceError> {
    let issued = optional_date("issued_on", f.field("issued_on"))?.ok_or_else(|| {
        ServiceError::invalid("issued_on", "请填写发证日期", "The issue date is required")
    })?;
    CertificateInput::parse(
        person,
        f.field("certificate_type"),
        f.field("number"),
        f.field("issuer"),
        issued,
        optional_date("expires_on", f.field("expires_on"))?,
    )
}

fn scan_of(f: &mut Uploaded) -> Result<Option<Upload>, ServiceError> {
    f.file
        .take()
        .map(|(name, bytes)| Upload::check("scan", &name, bytes, SCANS))
        .transpose()
}

/// Records a certificate with its optional scan (a form with a file).
#[post("/teams/people/{id}/certificates")]
async fn add_certificate(
    page: Page,
    id: web::Path<i64>,
    form: Multipart,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let here = format!("/teams/people/{id}");
    let lang = request_lang(page.request());
    let mut sent = read_form(form, page.request(), "scan", MAX_BYTES)
        .await
        .page(lang)?;
    page.act(
        &here,
        move |c| {
            let input = certificate_input(id, &sent)?;
            let scan = scan_of(&mut sent)?;
            certificates::add(c.conn, c.actor, c.now, input, scan)
        },
        move |_| {
            (
                Text::new("已登记证书", "Certificate recorded"),
                format!("/teams/people/{id}"),
            )
        },
    )
    .await
}

#[derive(Deserialize)]
struct RenewForm {
    person_id: i64,
    certificate_type: String,
    number: String,
    #[serde(default)]
    issuer: String,
    issued_on: String,
    #[serde(default)]
    expires_on: String,
}

/// Changes a certificate's dates and details (a renewal).
#[post("/teams/certificates/{id}")]
async fn renew_certificate(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<RenewForm>,
) -> Result<HttpResponse, PageError> {
    let (id, person) = (id.into_inner(), form.person_id);
    let here = format!("/teams/people/{person}");
    page.act(
        &here,
        move |c| {
            let issued = optional_date("issued_on", &form.issued_on)?.ok_or_else(|| {
                ServiceError::invalid("issued_on", "请填写发证日期", "The issue date is required")
            })?;
            let input = CertificateInput::parse(
                person,
                &form.certificate_type,
                &form.number,
                &form.issuer,
                issued,
                optional_date("expires_on", &form.expires_on)?,
            )?;
            certificates::update(c.conn, c.actor, c.now, id, input)
        },
        move |_| {
            (
                Text::new("已保存证书", "Certificate saved"),
                format!("/teams/people/{person}"),
            )
        },
    )
    .await
}

/// Attaches the scan of a certificate.
#[post("/teams/certificates/{id}/scan")]
async fn upload_scan(
    page: Page,
    id: web::Path<i64>,
    form: Multipart,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let lang = request_lang(page.request());
    let mut sent = read_form(form, page.request(), "scan", MAX_BYTES)
        .await
        .page(lang)?;
    let back = safe_next(Some(sent.field("next")));
    let to = back.clone();
    page.act(
        &back,
        move |c| {
            let scan = scan_of(&mut sent)?.ok_or_else(|| {
                ServiceError::invalid("scan", "请选择扫描件文件", "Choose the scanned file")
            })?;
            certificates::attach_scan(c.conn, c.actor, c.now, id, scan)
        },
        move |_| (Text::new("已上传扫描件", "Scan attached"), to),
    )
    .await
}

/// The scan of a certificate (for those who may see the holder's record).
#[get("/teams/certificates/{id}/scan")]
async fn download_scan(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let (_, (info, bytes)) = page
        .run(move |c| certificates::scan(c.conn, c.actor, id))
        .await?;
    Ok(scan_response(&info, bytes))
}

#[derive(Deserialize)]
struct LeaveForm {
    kind: String,
    starts_on: String,
    ends_on: String,
    #[serde(default)]
    reason: String,
}

#[post("/teams/people/{id}/leaves")]
async fn request_leave(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<LeaveForm>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let here = format!("/teams/people/{id}");
    page.act(
        &here,
        move |c| {
            let day = |field: &'static str, v: &str| -> Result<NaiveDate, ServiceError> {
                optional_date(field, v)?.ok_or_else(|| {
                    ServiceError::invalid(field, "请填写日期", "The date is required")
                })
            };
            let input = LeaveInput::parse(
                id,
                LeaveKind::parse(&form.kind)?,
                day("starts_on", &form.starts_on)?,
                day("ends_on", &form.ends_on)?,
                &form.reason,
            )?;
            leaves::request(c.conn, c.actor, c.now, input)
        },
        move |_| {
            (
                Text::new("已提交请假，等待审批", "Leave requested; awaiting approval"),
                format!("/teams/people/{id}"),
            )
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "teams/leaves.html")]
struct QueuePage {
    ctx: Ctx,
    leaves: Vec<LeaveLine>,
}

#[get("/teams/leaves")]
async fn leave_queue(page: Page) -> Result<HttpResponse, PageError> {
    page.show(
        |c| Ok((leaves::awaiting(c.conn, c.actor)?, people::names(c.conn)?)),
        |ctx, (waiting, names)| {
            let lang = ctx.lang;
            QueuePage {
                leaves: waiting
                    .iter()
                    .map(|l| {
                        let who = names
                            .iter()
                            .find(|(i, _)| *i == l.person_id)
                            .map(|(_, n)| n.clone());
                        leave_line(l, who.unwrap_or_default(), lang)
                    })
                    .collect(),
                ctx,
            }
        },
    )
    .await
}

#[derive(Deserialize)]
struct DecisionForm {
    decision: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    next: String,
}

#[post("/teams/leaves/{id}")]
async fn decide_leave(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = safe_next(Some(&form.next));
    let to = back.clone();
    page.act(
        &back,
        move |c| {
            let decision = match form.decision.as_str() {
                "approve" => Decision::Approve,
                "refuse" => Decision::Refuse,
                "cancel" => Decision::Cancel,
                _ => {
                    return Err(ServiceError::invalid(
                        "decision",
                        "请选择批准、不批准或撤销",
                        "Choose approve, refuse or cancel",
                    ))
                }
            };
            leaves::decide(c.conn, c.actor, c.now, id, decision, &form.note)
        },
        move |l| {
            let text = Text::new(
                format!("请假已{}", l.state.label(crate::i18n::Lang::Zh)),
                format!(
                    "Leave {}",
                    l.state.label(crate::i18n::Lang::En).to_lowercase()
                ),
            );
            (text, to)
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "teams/lists.html")]
struct ListsPage {
    ctx: Ctx,
    lists: lists::Lists,
    may_add: bool,
}

#[get("/teams/lists")]
async fn lists_page(page: Page) -> Result<HttpResponse, PageError> {
    page.show(
        |c| Ok((lists::lists(c.conn)?, lists::may_add(c.actor))),
        |ctx, (lists, may_add)| ListsPage {
            ctx,
            lists,
            may_add,
        },
    )
    .await
}

#[derive(Deserialize)]
struct ListForm {
    code: String,
    name: String,
    name_en: String,
    #[serde(default)]
    requires: String,
}

#[post("/teams/lists/specialities")]
async fn add_speciality(
    page: Page,
    CsrfForm(form): CsrfForm<ListForm>,
) -> Result<HttpResponse, PageError> {
    page.act(
        "/teams/lists",
        move |c| {
            let requires = form
                .requires
                .split([',', '，', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            lists::add_speciality(
                c.conn,
                c.actor,
                c.now,
                &form.code,
                &form.name,
                &form.name_en,
                requires,
            )
        },
        |_| {
            (
                Text::new("已添加专长", "Speciality added"),
                "/teams/lists".into(),
            )
        },
    )
    .await
}

#[post("/teams/lists/certificate-types")]
async fn add_certificate_type(
    page: Page,
    CsrfForm(form): CsrfForm<ListForm>,
) -> Result<HttpResponse, PageError> {
    page.act(
        "/teams/lists",
        move |c| {
            lists::add_certificate_type(
                c.conn,
                c.actor,
                c.now,
                &form.code,
                &form.name,
                &form.name_en,
            )
        },
        |_| {
            (
                Text::new("已添加证书类型", "Certificate type added"),
                "/teams/lists".into(),
            )
        },
    )
    .await
}
