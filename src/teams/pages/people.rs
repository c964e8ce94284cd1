//! A person's team record: memberships, certificates with their scans, leave, training hours; the forms to
//! record and renew a certificate, attach a scan and ask for leave. A refused form is shown again on the page
//! with what was typed (a chosen file has to be chosen again: browsers never keep one).

use actix_multipart::Multipart;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use chrono::NaiveDate;

use super::{leave_line, LeaveLine, Names};
use crate::attachments::{Upload, MAX_BYTES, SCANS};
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::teams::api::people::scan_response;
use crate::teams::model::{hours_of, CertificateInput, LeaveInput, LeaveKind};
use crate::teams::service::certificates::{self, PersonRecord};
use crate::teams::service::{leaves, lists};
use crate::web::auth::request_lang;
use crate::web::context::{safe_next, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::forms::optional_date;
use crate::web::typed::{field, Refused, Typed};
use crate::web::upload::{read_form, Uploaded};
use crate::web::{render, InLang, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(person_page)
        .service(add_certificate)
        .service(renew_certificate)
        .service(upload_scan)
        .service(download_scan)
        .service(request_leave);
}

struct CertificateLine {
    id: i64,
    kind: String,
    kind_code: String,
    number: String,
    issuer: String,
    issued_on: String,
    expires_on: String,
    /// `ok`, `short` (lapses within 30 days) or `off` (not valid).
    mark: &'static str,
    /// "12 days left", "lapsed".
    note: String,
    scan: bool,
}

#[derive(Template)]
#[template(path = "teams/person.html")]
struct PersonPage {
    ctx: Ctx,
    record: PersonRecord,
    teams: Vec<(i64, String, &'static str, &'static str)>,
    /// Away today on approved leave, until this day.
    away_until: Option<String>,
    certificates: Vec<CertificateLine>,
    leaves: Vec<LeaveLine>,
    types: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    hours: String,
    typed: Typed,
}

/// Shows a person's record, with a refused form's typed values and refusal when there is one.
async fn person_view(
    page: &Page,
    id: i64,
    typed: Option<Refused>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (record, teams, lists, day)) = page
        .run(move |c| {
            let record = certificates::record(c.conn, c.actor, id, c.now, c.tz)?;
            let teams = crate::teams::service::teams::names(c.conn)?;
            Ok((
                record,
                teams,
                lists::lists(c.conn)?,
                crate::clock::today(c.now, c.tz),
            ))
        })
        .await?;
    let lang = ctx.lang;
    let (typed, status) = Typed::of(typed, lang, super::LABELS);
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
            mark: match (c.valid, c.days_left) {
                (false, _) => "off",
                (true, Some(d)) if d <= 30 => "short",
                _ => "ok",
            },
            note: match (c.valid, c.days_left) {
                (false, Some(d)) if d < 0 => ctx.t("teams.lapsed").to_string(),
                (false, _) => ctx.t("teams.not_yet_valid").to_string(),
                (true, Some(d)) => format!("{d} {}", ctx.t("teams.days_left")),
                (true, None) => ctx.t("teams.no_expiry").to_string(),
            },
            scan: c.certificate.attachment_id.is_some(),
        })
        .collect();
    let view = PersonPage {
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
        away_until: record
            .leaves
            .iter()
            .find(|l| l.covers(day))
            .map(|l| l.ends_on.to_string()),
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
        typed,
        record,
        ctx,
    };
    render(&view, status)
}

#[get("/teams/people/{id}")]
async fn person_page(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    person_view(&page, id.into_inner(), None).await
}

/// The certificate fields of a form.
fn certificate_input(
    person: i64,
    field: impl Fn(&str) -> String,
    today: NaiveDate,
) -> Result<CertificateInput, ServiceError> {
    let issued = optional_date("issued_on", &field("issued_on"))?.ok_or_else(|| {
        ServiceError::invalid("issued_on", "请填写发证日期", "The issue date is required")
    })?;
    CertificateInput::parse(
        person,
        &field("certificate_type"),
        &field("number"),
        &field("issuer"),
        (issued, optional_date("expires_on", &field("expires_on"))?),
        today,
    )
}

fn scan_of(f: &mut Uploaded) -> Result<Option<Upload>, ServiceError> {
    if f.too_large {
        return Err(ServiceError::invalid(
            "scan",
            "扫描件不能超过 5 MB",
            "The scan may be at most 5 MB",
        ));
    }
    f.file
        .take()
        .map(|(name, bytes)| Upload::check("scan", &name, bytes, SCANS))
        .transpose()
}

fn typed_fields(f: &Uploaded) -> Vec<(String, String)> {
    f.fields
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Records a certificate with its optional scan (a form with a file).
#[post("/teams/people/{id}/certificates")]
async fn add_certificate(
    page: Page,
    id: web::Path<i64>,
    form: Multipart,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let lang = request_lang(page.request());
    let mut sent = read_form(form, page.request(), "scan", MAX_BYTES)
        .await
        .page(lang)?;
    let typed = typed_fields(&sent);
    let saved = page
        .submit(
            move |c| {
                let day = crate::clock::today(c.now, c.tz);
                let input = certificate_input(id, |f| sent.field(f).to_string(), day)?;
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
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => {
            person_view(&page, id, Some(Refused::new("certificate", typed, refusal))).await
        }
    }
}

/// Changes a certificate's dates and details (a renewal).
#[post("/teams/certificates/{id}")]
async fn renew_certificate(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let typed = fields.clone();
    let get = move |k: &str| field(&fields, k);
    let person = get("person_id").parse::<i64>().unwrap_or_default();
    let saved = page
        .submit(
            move |c| {
                let input = certificate_input(person, get, crate::clock::today(c.now, c.tz))?;
                certificates::update(c.conn, c.actor, c.now, id, input)
            },
            move |_| {
                (
                    Text::new("已保存证书", "Certificate saved"),
                    format!("/teams/people/{person}"),
                )
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => {
            person_view(
                &page,
                person,
                Some(Refused::new(format!("renew{id}"), typed, refusal)),
            )
            .await
        }
    }
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
    Ok(scan_response(id, &info, bytes))
}

#[post("/teams/people/{id}/leaves")]
async fn request_leave(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let typed = fields.clone();
    let saved = page
        .submit(
            move |c| {
                let get = |k: &str| field(&fields, k);
                let day = |name: &'static str| -> Result<NaiveDate, ServiceError> {
                    optional_date(name, &get(name))?.ok_or_else(|| {
                        ServiceError::invalid(name, "请填写日期", "The date is required")
                    })
                };
                let kind = LeaveKind::parse(&get("kind"))?;
                let today = crate::clock::today(c.now, c.tz);
                let input = LeaveInput::parse(
                    id,
                    kind,
                    day("starts_on")?,
                    day("ends_on")?,
                    &get("reason"),
                    today,
                )?;
                leaves::request(c.conn, c.actor, c.now, input)
            },
            move |_| {
                let text = Text::new("已提交请假，等待审批", "Leave requested; awaiting approval");
                (text, format!("/teams/people/{id}"))
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => person_view(&page, id, Some(Refused::new("leave", typed, refusal))).await,
    }
}
