//! A circular's page with only the forms its viewer may use now: the sender issues a draft (after adding
//! files), tracks the units at a glance, reminds the laggards, withdraws it, prints the tracking sheet and
//! downloads the replies; an addressed unit acknowledges and replies (with a file where taken).

use actix_multipart::Multipart;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;

use super::{text, LABELS};
use crate::attachments::{Upload, MAX_BYTES, SCANS};
use crate::circulars::model::{CircularReplyMode, CircularStanding, CircularState, ReplyInput};
use crate::circulars::service::{self, answering, drafting, tracking, CircularView};
use crate::circulars::Area;
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::{Lang, Text};
use crate::web::auth::request_lang;
use crate::web::context::{local_time, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::typed::{submit_or_again, Refused, Typed};
use crate::web::upload::{read_form, Uploaded};
use crate::web::{client_address, render, Call, InLang, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(show)
        .service(issue)
        .service(withdraw)
        .service(remind)
        .service(acknowledge)
        .service(reply)
        .service(upload)
        .service(download)
        .service(export);
}

/// An addressed unit's line on the tracking table.
struct UnitLine {
    unit: String,
    standing: &'static str,
    mark: &'static str,
    acked: String,
    reply: String,
    file: Option<(i64, String)>,
    reminders: i32,
    escalated: String,
}

/// One of the viewer's own units, with its forms.
struct MyUnit {
    unit_id: i64,
    unit: String,
    standing: &'static str,
    mark: &'static str,
    acked: bool,
    acked_text: String,
    replied: String,
    values: Vec<(usize, String, String)>,
    reply_text: String,
}

#[derive(Template)]
#[template(path = "circulars/show.html")]
struct ShowPage {
    ctx: Ctx,
    v: CircularView,
    paragraphs: Vec<String>,
    urgency: &'static str,
    urgent: bool,
    state: &'static str,
    due: String,
    issued: String,
    withdrawn: String,
    draft: bool,
    open: bool,
    replies: bool,
    lines: Vec<UnitLine>,
    mine: Vec<MyUnit>,
    typed: Typed,
}

fn mark(s: CircularStanding) -> &'static str {
    match s {
        CircularStanding::Acknowledged => "ok",
        CircularStanding::AcknowledgedLate | CircularStanding::Waiting => "short",
        CircularStanding::Overdue | CircularStanding::Escalated => "off",
    }
}

fn build(ctx: Ctx, v: CircularView, tz: chrono_tz::Tz, typed: Typed) -> ShowPage {
    let lang = ctx.lang;
    let c = &v.circular;
    let time =
        |t: &Option<chrono::NaiveDateTime>| t.map(|t| local_time(&t, tz)).unwrap_or_default();
    let reply_of = |u: &service::CircularUnitView| {
        let mut parts: Vec<String> = v
            .fields
            .iter()
            .zip(u.reply_values.iter())
            .map(|(f, x)| format!("{f}{}{x}", lang.t("colon")))
            .collect();
        if !u.reply_text.is_empty() {
            parts.push(u.reply_text.clone());
        }
        parts.join("；")
    };
    let acked_of = |u: &service::CircularUnitView, sender: bool| match u.acked_at {
        Some(at) => {
            let mut s = format!("{} {}", local_time(&at, tz), u.acked_name);
            if let Some(via) = u.acked_via {
                s.push_str(&format!("（{}）", via.label(lang)));
            }
            if sender && !u.acked_address.is_empty() {
                s.push_str(&format!(" {}", u.acked_address));
            }
            s
        }
        None => String::new(),
    };
    let lines = if v.as_sender {
        let mut rows: Vec<&service::CircularUnitView> = v.units.iter().collect();
        // The laggards first: escalated, overdue, waiting; then late and timely acknowledgements.
        rows.sort_by_key(|u| match u.standing {
            CircularStanding::Escalated => 0,
            CircularStanding::Overdue => 1,
            CircularStanding::Waiting => 2,
            CircularStanding::AcknowledgedLate => 3,
            CircularStanding::Acknowledged => 4,
        });
        rows.into_iter()
            .map(|u| UnitLine {
                unit: u.unit.clone(),
                standing: u.standing.label(lang),
                mark: mark(u.standing),
                acked: acked_of(u, true),
                reply: reply_of(u),
                file: u.reply_file.as_ref().map(|f| (f.id, f.file_name.clone())),
                reminders: u.reminders,
                escalated: time(&u.escalated_at),
            })
            .collect()
    } else {
        Vec::new()
    };
    let mine = v
        .units
        .iter()
        .filter(|u| v.mine.contains(&u.unit_id))
        .map(|u| {
            let form = format!("reply{}", u.unit_id);
            MyUnit {
                unit_id: u.unit_id,
                unit: u.unit.clone(),
                standing: u.standing.label(lang),
                mark: mark(u.standing),
                acked: u.standing.acknowledged(),
                acked_text: acked_of(u, false),
                replied: u
                    .replied_at
                    .map(|t| format!("{} {}", local_time(&t, tz), u.replied_by))
                    .unwrap_or_default(),
                values: v
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(n, f)| {
                        let shown = u.reply_values.get(n).cloned().unwrap_or_default();
                        (
                            n + 1,
                            f.clone(),
                            typed.or(&form, &format!("value_{}", n + 1), shown),
                        )
                    })
                    .collect(),
                reply_text: typed.or(&form, "reply_text", &u.reply_text),
            }
        })
        .collect();
    ShowPage {
        paragraphs: v.paragraphs(),
        urgency: c.urgency.label(lang),
        urgent: c.urgency != crate::circulars::model::CircularUrgency::Routine,
        state: c.state.label(lang),
        due: local_time(&c.ack_due, tz),
        issued: time(&c.issued_at),
        withdrawn: time(&c.withdrawn_at),
        draft: c.state == CircularState::Draft,
        open: c.state == CircularState::Issued,
        replies: c.reply_mode != CircularReplyMode::None,
        lines,
        mine,
        typed,
        ctx,
        v,
    }
}

async fn show_view(
    page: &Page,
    id: i64,
    refused: Option<Refused>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (v, tz)) = page
        .run(move |c| Ok((service::get(c.conn, c.actor, id, c.now)?, c.tz)))
        .await?;
    let (typed, status) = Typed::of(refused, ctx.lang, LABELS);
    render(&build(ctx, v, tz, typed), status)
}

#[get("/circulars/{id:\\d+}")]
async fn show(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    show_view(&page, id.into_inner(), None).await
}

type Fields = CsrfForm<Vec<(String, String)>>;

/// Runs form `form` of circular `id` and comes back to it, saying `done`; refused, the page shows the
/// form again.
async fn act<T, F>(
    page: Page,
    id: i64,
    form: &str,
    f: Vec<(String, String)>,
    run: F,
    done: Text,
) -> Result<HttpResponse, PageError>
where
    F: FnOnce(&mut Call<'_>, &[(String, String)]) -> ServiceResult<T> + Send + 'static,
    T: Send + 'static,
{
    let typed = f.clone();
    submit_or_again(
        &page,
        form,
        typed,
        move |c| run(c, &f),
        move |_| (done, format!("/circulars/{id}")),
        |refused| show_view(&page, id, Some(refused)),
    )
    .await
}

#[post("/circulars/{id:\\d+}/issue")]
async fn issue(
    page: Page,
    area: web::Data<Area>,
    id: web::Path<i64>,
    CsrfForm(f): Fields,
) -> Result<HttpResponse, PageError> {
    let (id, area) = (id.into_inner(), area.into_inner());
    let run = move |c: &mut Call<'_>, _: &[(String, String)]| {
        drafting::issue(c.conn, c.actor, c.now, c.config, &area, id)
    };
    let done = Text::new(
        "通知已下发，各单位将收到邮件和签收链接",
        "Issued: every unit is sent the circular with its acknowledgement link",
    );
    act(page, id, "issue", f, run, done).await
}

#[post("/circulars/{id:\\d+}/withdraw")]
async fn withdraw(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): Fields,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let run = move |c: &mut Call<'_>, f: &[(String, String)]| {
        drafting::withdraw(c.conn, c.actor, c.now, id, text(f, "reason"))
    };
    act(
        page,
        id,
        "withdraw",
        f,
        run,
        Text::new("通知已撤回", "Circular withdrawn"),
    )
    .await
}

#[post("/circulars/{id:\\d+}/remind")]
async fn remind(
    page: Page,
    area: web::Data<Area>,
    id: web::Path<i64>,
    CsrfForm(f): Fields,
) -> Result<HttpResponse, PageError> {
    let (id, area) = (id.into_inner(), area.into_inner());
    let typed = f.clone();
    submit_or_again(
        &page,
        "remind",
        typed,
        move |c| tracking::remind(c.conn, c.actor, c.now, c.config, &area, id),
        move |(_, n)| {
            (
                Text::new(
                    format!("已向 {n} 个未签收或未回执的单位发出催办"),
                    format!("Reminded {n} units that have not acknowledged or replied"),
                ),
                format!("/circulars/{id}"),
            )
        },
        |refused| show_view(&page, id, Some(refused)),
    )
    .await
}

#[post("/circulars/{id:\\d+}/units/{unit:\\d+}/acknowledge")]
async fn acknowledge(
    page: Page,
    path: web::Path<(i64, i64)>,
    CsrfForm(f): Fields,
) -> Result<HttpResponse, PageError> {
    let (id, unit) = path.into_inner();
    let address = client_address(page.request());
    let run = move |c: &mut Call<'_>, _: &[(String, String)]| {
        answering::acknowledge(c.conn, c.actor, c.now, id, unit, &address)
    };
    act(
        page,
        id,
        &format!("ack{unit}"),
        f,
        run,
        Text::new("已签收", "Acknowledged"),
    )
    .await
}

fn typed_fields(f: &Uploaded) -> Vec<(String, String)> {
    f.fields
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn file_of(f: &mut Uploaded) -> Result<Option<Upload>, ServiceError> {
    if f.too_large {
        return Err(ServiceError::invalid(
            "file",
            "附件不能超过 5 MB",
            "A file may be at most 5 MB",
        ));
    }
    f.file
        .take()
        .map(|(name, bytes)| Upload::check("file", &name, bytes, SCANS))
        .transpose()
}

/// A reply, with an optional file (a form with a file).
#[post("/circulars/{id:\\d+}/units/{unit:\\d+}/reply")]
async fn reply(
    page: Page,
    path: web::Path<(i64, i64)>,
    form: Multipart,
) -> Result<HttpResponse, PageError> {
    let (id, unit) = path.into_inner();
    let lang = request_lang(page.request());
    let address = client_address(page.request());
    let mut sent = read_form(form, page.request(), "file", MAX_BYTES)
        .await
        .page(lang)?;
    let typed = typed_fields(&sent);
    let saved = page
        .submit(
            move |c| {
                let file = file_of(&mut sent)?;
                let mut values = Vec::new();
                for n in 1..=crate::circulars::model::MAX_FIELDS {
                    let name = format!("value_{n}");
                    if !sent.fields.contains_key(&name) {
                        break;
                    }
                    values.push(sent.field(&name).to_string());
                }
                let input = ReplyInput {
                    text: sent.field("reply_text").to_string(),
                    values,
                };
                answering::reply(c.conn, c.actor, c.now, id, unit, input, file, &address)
            },
            move |_| {
                (
                    Text::new("回执已提交", "Reply sent"),
                    format!("/circulars/{id}"),
                )
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => {
            show_view(
                &page,
                id,
                Some(Refused::new(format!("reply{unit}"), typed, refusal)),
            )
            .await
        }
    }
}

/// A file attached to a draft.
#[post("/circulars/{id:\\d+}/files")]
async fn upload(
    page: Page,
    id: web::Path<i64>,
    form: Multipart,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let lang = request_lang(page.request());
    let mut sent = read_form(form, page.request(), "file", MAX_BYTES)
        .await
        .page(lang)?;
    let typed = typed_fields(&sent);
    let saved = page
        .submit(
            move |c| {
                let file = file_of(&mut sent)?.ok_or_else(|| {
                    ServiceError::invalid("file", "请选择要上传的文件", "Choose a file to upload")
                })?;
                drafting::add_file(c.conn, c.actor, c.now, id, file)
            },
            move |f| {
                (
                    Text::new(
                        format!("已添加附件 {}", f.file_name),
                        format!("Attached {}", f.file_name),
                    ),
                    format!("/circulars/{id}"),
                )
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => show_view(&page, id, Some(Refused::new("file", typed, refusal))).await,
    }
}

#[get("/circulars/{id:\\d+}/files/{file:\\d+}")]
async fn download(page: Page, path: web::Path<(i64, i64)>) -> Result<HttpResponse, PageError> {
    let (id, file) = path.into_inner();
    let (_, (info, bytes)) = page
        .run(move |c| answering::file(c.conn, c.actor, c.now, id, file))
        .await?;
    Ok(crate::circulars::api::file_response(&info, bytes))
}

/// The replies as a spreadsheet (`xlsx` or `csv`).
#[get("/circulars/{id:\\d+}/replies.{format}")]
async fn export(page: Page, path: web::Path<(i64, String)>) -> Result<HttpResponse, PageError> {
    let (id, format) = path.into_inner();
    crate::web::table_download(&page, &format, move |c| {
        let lang: Lang = c.actor.lang;
        tracking::replies_table(c.conn, c.actor, c.now, id, lang, c.tz)
    })
    .await
}
